"""``--since`` keeps only what changed since then; without it, the changes since the last
export; bad input is refused with the reason and writes nothing."""

import datetime

import pytest
from django.core.management import CommandError
from django.utils import timezone

from keyplan.crm.models import SalesforceExport
from keyplan.plans import services
from keyplan.sales.models import Opportunity
from tests.crm.conftest import export, read

pytestmark = pytest.mark.django_db


def test_since_a_time_keeps_only_what_changed_after_it(crm, tmp_path):
    Opportunity.objects.filter(pk=crm.opportunity.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=10)
    )
    export(
        tmp_path / "a", "--since", (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    )
    assert read(tmp_path / "a" / "Opportunity.csv") == []
    assert [r["Subject"] for r in read(tmp_path / "a" / "Task.csv")] == ["Workshop with the CFO"]


def test_without_since_the_next_export_holds_only_the_changes_after_the_last(crm, tmp_path):
    said = export(tmp_path / "export1")
    assert "everything keyplan made" in said
    assert len(read(tmp_path / "export1" / "Task.csv")) == 1
    last = SalesforceExport.objects.get()
    assert last.via == "command line"
    assert last.rows["Task.csv"] == 1 and last.rows["Event.csv"] == 1

    services.element_save(
        kind="action",
        plan=crm.plan,
        user=crm.sam,
        instance=crm.action,
        version=crm.action.version,
        title="Workshop with the CFO and the CIO",
    )
    said = export(tmp_path / "export2")
    assert "changes since" in said
    assert [r["Subject"] for r in read(tmp_path / "export2" / "Task.csv")] == [
        "Workshop with the CFO and the CIO"
    ]
    assert read(tmp_path / "export2" / "Opportunity.csv") == []
    assert SalesforceExport.objects.count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "yesterday"], "--since: “yesterday” is not a date: give a date (2026-12-01)"),
        (["--since", "2999-01-01"], "is in the future: nothing has changed since then"),
    ],
)
def test_a_bad_since_is_refused_and_nothing_is_written(crm, tmp_path, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        export(tmp_path / "out", *args)
    assert not (tmp_path / "out").exists()
    assert not SalesforceExport.objects.exists()


def test_a_folder_with_an_earlier_export_is_refused(crm, tmp_path):
    export(tmp_path / "out", "--since", "all")
    with pytest.raises(CommandError, match="already holds Contact.csv, Opportunity.csv"):
        export(tmp_path / "out", "--since", "all")
    assert SalesforceExport.objects.count() == 1
