"""The description of a Task sent to Salesforce gives the action's effort as people
write it, "6 hours", not "6.0 hours" (the database's one decimal place), and keeps a
half hour as "2.5 hours"."""

import datetime
from decimal import Decimal

import pytest

from keyplan.plans import services
from tests.crm.conftest import export, read

pytestmark = pytest.mark.django_db


def test_task_descriptions_give_the_effort_in_whole_hours_when_whole(crm, tmp_path):
    services.element_save(
        kind="action",
        plan=crm.plan,
        user=crm.sam,
        title="Half-day review with the CFO",
        owner=crm.sam,
        due_date=datetime.date.today() + datetime.timedelta(days=40),
        effort_hours=Decimal("2.5"),
        contacts=[crm.cfo],
    )
    export(tmp_path / "out")
    descriptions = {r["Subject"]: r["Description"] for r in read(tmp_path / "out" / "Task.csv")}
    assert "Effort: 6 hours." in descriptions["Workshop with the CFO"]
    assert "Effort: 2.5 hours." in descriptions["Half-day review with the CFO"]
