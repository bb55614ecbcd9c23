"""Each format of a plan holds the plan's figures, read back from the file: the goal,
the pipeline coverage (2,500,000 of ideas against a 1,000,000 goal: 2.50x), the ideas'
values and dates, the customer's goal, the objective, strategy and action."""

import datetime
import io

import pytest

from keyplan.outputs.export import export_plan
from tests.outputs.conftest import deck_texts, pdf_text

pytestmark = pytest.mark.django_db


def test_markdown(org, plan):
    text = export_plan(plan=plan, user=org.rep, fmt="md").content.decode()
    assert text.startswith("# Account plan: Mine Group\n")
    assert "| Revenue goal | 1,000,000 USD |" in text
    assert "| Pipeline | 2,500,000 USD |" in text
    assert "| Pipeline coverage of the revenue goal | 2.50x |" in text
    assert "| Coverage of the stretch goal | 1.67x |" in text
    assert "| Finance data platform | Halve the time to close the books |" in text
    assert "| 1,500,000 USD | 2027-06-30 | 50% | Idea | no |" in text
    assert "### Halve the time to close the books" in text
    assert "### Revenue: Grow to 1M" in text
    assert "1. **Land the finance platform**" in text
    assert "    - Meet the CFO — Amir Becker, due 2027-03-01, 4 h, planned" in text
    assert "| Jana Castro | CFO | Mine Group | Decision maker | Neutral | Weak |" in text


def test_workbook_numbers_and_dates(org, plan):
    import openpyxl

    book = openpyxl.load_workbook(
        io.BytesIO(export_plan(plan=plan, user=org.rep, fmt="xlsx").content)
    )
    assert book.sheetnames == [
        "at a glance",
        "customer goals",
        "relationship map",
        "white space",
        "ideas",
        "coverage",
        "investments",
        "objectives",
        "commitments",
        "risks and asks",
        "discussion",
    ]
    glance = {row[0].value: row[1] for row in book["at a glance"].iter_rows(min_row=2)}
    assert glance["Revenue goal"].value == 1_000_000 and glance["Revenue goal"].data_type == "n"
    # At a glance every sum is shown to the unit (the exact value kept in the cell).
    assert glance["Revenue goal"].number_format == '#,##0 "USD"'
    assert glance["Pipeline"].value == 2_500_000
    assert glance["Pipeline coverage of the revenue goal"].value == 2.5
    assert glance["Pipeline coverage of the revenue goal"].number_format == '0.00"x"'
    ideas = list(book["ideas"].iter_rows(min_row=2))
    assert [r[0].value for r in ideas] == ["Finance data platform", "Close automation"]
    value, expected, confidence = ideas[0][5], ideas[0][6], ideas[0][7]
    assert value.value == 1_500_000 and value.data_type == "n"
    assert expected.is_date and expected.value == datetime.datetime(2027, 6, 30)
    assert expected.number_format == "yyyy-mm-dd"
    assert confidence.value == 0.5 and confidence.number_format == "0%"
    assert ideas[1][6].value is None  # no expected date: an empty cell, not "—"
    objectives = [[c.value for c in r] for r in book["objectives"].iter_rows(min_row=2)]
    assert objectives[0][:5] == ["Objective", "Revenue: Grow to 1M", "revenue", 0, 1_000_000]
    assert objectives[1][:2] == ["Strategy", "Land the finance platform"]
    assert objectives[2][0:3] == ["Action", "Meet the CFO", "Jana Castro"]
    assert objectives[2][7] == datetime.datetime(2027, 3, 1) and objectives[2][10] == 4


def test_deck_text_and_native_charts(org, plan):
    from pptx import Presentation

    content = export_plan(plan=plan, user=org.rep, fmt="pptx").content
    texts = deck_texts(content)
    titles = [t.split("\n")[0] for t in texts]
    assert titles == [
        "Account plan: Mine Group",
        "At a glance",
        "Goals and aspiration",
        "The customer's goals",
        "The relationship map",
        "White space",
        "Ideas: annual value",
        "Ideas",
        "Pipeline coverage",
        "Investments asked",
        "Objectives, strategies and actions",
        "Risks and asks of leadership",
    ]
    assert "1,000,000 USD" in texts[1] and "2.50x" in texts[1]
    assert "Revenue goal: 1,000,000 USD" in texts[2]
    assert "Halve the time to close the books" in texts[3]
    assert "Meet the CFO — Amir Becker, due 2027-03-01, 4 h, planned" in texts[10]
    slides = Presentation(io.BytesIO(content)).slides
    # The relationship map is a picture; ideas and coverage are charts with their data.
    assert any(s.shape_type == 13 for s in slides[4].shapes)  # MSO_SHAPE_TYPE.PICTURE
    ideas_chart = next(s.chart for s in slides[6].shapes if s.has_chart)
    assert list(ideas_chart.plots[0].categories) == [
        "Finance data platform (idea)",
        "Close automation (idea)",
    ]
    assert list(ideas_chart.series[0].values) == [1_500_000, 1_000_000]
    charts = [s.chart for s in slides[8].shapes if s.has_chart]
    coverage, sources = charts
    assert list(coverage.plots[0].categories) == [
        "Pipeline",
        "Revenue goal",
        "2.5x the goal",
        "3x the goal",
        "Stretch goal",
    ]
    assert list(coverage.series[0].values) == [
        2_500_000,
        1_000_000,
        2_500_000,
        3_000_000,
        1_500_000,
    ]
    # Open opportunities 0; ideas by us directly 2,500,000; jointly and partners 0.
    assert list(sources.series[0].values) == [0, 2_500_000, 0, 0]
    assert "Pipeline 2,500,000 USD is 2.50x the revenue goal" in texts[8]


def test_pdf_text(org, plan):
    exported = export_plan(plan=plan, user=org.rep, fmt="pdf")
    assert exported.content.startswith(b"%PDF")
    text = pdf_text(exported.content)
    assert "Account plan: Mine Group" in text
    assert "1,000,000 USD" in text and "2,500,000 USD" in text and "2.50x" in text
    assert "Finance data platform" in text and "2027-06-30" in text
    assert "Halve the time to close the books" in text
    assert "Meet the CFO — Amir Becker, due 2027-03-01, 4 h, planned" in text
    assert "Page 1 of" in text
