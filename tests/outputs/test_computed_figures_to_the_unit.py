"""In a plan's files, the figures keyplan computes (the run-rate from the sales, the
potential) read to the unit beside the goals a person typed: "12,346 USD", not
"12,345.67 USD" on a board's slide."""

import datetime
from decimal import Decimal

import pytest

from keyplan.outputs.export import export_plan
from tests.factories import SaleLineFactory
from tests.outputs.conftest import deck_texts

pytestmark = pytest.mark.django_db


def test_the_run_rate_reads_to_the_unit(org, plan):
    today = datetime.date.today()
    SaleLineFactory(
        account=org.mine, date=today - datetime.timedelta(days=40), amount=Decimal("12345.67")
    )
    text = export_plan(plan=plan, user=org.rep, fmt="md").content.decode()
    run_rate = next(line for line in text.splitlines() if line.startswith("| Run-rate"))
    assert run_rate.endswith("| 12,346 USD |"), run_rate
    slides = " ".join(deck_texts(export_plan(plan=plan, user=org.rep, fmt="pptx").content))
    assert "12,346 USD" in slides and "12,345.67" not in slides
    assert "1,000,000 USD" in text  # the goal, as typed


def test_the_workbook_keeps_the_exact_figure_and_shows_it_to_the_unit(org, plan):
    import io

    import openpyxl

    today = datetime.date.today()
    SaleLineFactory(
        account=org.mine, date=today - datetime.timedelta(days=40), amount=Decimal("12345.67")
    )
    content = export_plan(plan=plan, user=org.rep, fmt="xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(content))["at a glance"]
    run_rate = next(r for r in sheet.iter_rows() if str(r[0].value).startswith("Run-rate"))[1]
    assert run_rate.value == pytest.approx(12345.67)  # nothing rounded away
    assert run_rate.number_format == '#,##0 "USD"'
