"""The account at a glance reads its sums to the unit in every output that shows it —
the plan's PDF, Markdown and workbook, and the executive meeting briefing (page and
PDF): the pipeline adds up ideas and deals to the cent, yet "2,501,235 USD" is what a
roll-up says elsewhere, not "2,501,234.56 USD"."""

import datetime
import io
from decimal import Decimal

import pytest

from keyplan.outputs.export import export_plan
from keyplan.plans import services
from tests.outputs.conftest import pdf_text

pytestmark = pytest.mark.django_db

EXACT, TO_THE_UNIT = "2,501,234.56", "2,501,235 USD"


@pytest.fixture
def cents(org, plan):
    """A third open idea of 1,234.56: the pipeline is 2,501,234.56; the revenue goal
    typed with cents too."""
    services.element_save(
        kind="idea",
        plan=plan,
        user=org.rep,
        title="Audit trail add-on",
        annual_value=Decimal("1234.56"),
        confidence=30,
    )
    plan.revenue_goal = Decimal("1000000.40")
    plan.save(update_fields=["revenue_goal"])
    return plan


def _glance_lines(text: str) -> dict[str, str]:
    return {
        line.split("|")[1].strip(): line.split("|")[2].strip()
        for line in text.split("## ", 2)[1].splitlines()
        if line.startswith("| ") and line.count("|") >= 3
    }


def test_the_plan_files_give_the_glance_to_the_unit(org, cents):
    md = export_plan(plan=cents, user=org.rep, fmt="md").content.decode()
    glance = _glance_lines(md[md.index("At a glance") - 3 :])
    assert glance["Pipeline"] == TO_THE_UNIT
    assert glance["Revenue goal"] == "1,000,000 USD"
    pdf = pdf_text(export_plan(plan=cents, user=org.rep, fmt="pdf").content)
    assert TO_THE_UNIT in pdf and EXACT not in pdf


def test_the_workbook_keeps_the_exact_pipeline_shown_to_the_unit(org, cents):
    import openpyxl

    content = export_plan(plan=cents, user=org.rep, fmt="xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content))["at a glance"]
    row = next(r for r in sheet.iter_rows() if r[0].value == "Pipeline")
    assert row[1].value == pytest.approx(2501234.56)  # nothing rounded away
    assert row[1].number_format == '#,##0 "USD"'


def test_the_meeting_briefing_gives_the_glance_to_the_unit(org, cents, client):
    org.executive.first_name, org.executive.last_name = "Eve", "Ekman"
    org.executive.save()
    today = datetime.date.today()
    meeting = services.meeting_request(
        plan=cents,
        user=org.manager,
        executive=org.executive,
        contacts=[org.ceo],
        purpose="Agree the roadmap",
        wished_from=today + datetime.timedelta(days=3),
        wished_until=today + datetime.timedelta(days=30),
    )
    client.force_login(org.manager)
    page = client.get(f"/executive-meetings/{meeting.pk}/briefing/").content.decode()
    assert "1,000,000 USD" in page and "1,000,000.40" not in page
    pdf = pdf_text(client.get(f"/executive-meetings/{meeting.pk}/briefing.pdf").content)
    assert TO_THE_UNIT in pdf and EXACT not in pdf
    assert "1,000,000.40" not in pdf
