"""The risks and asks of leadership name their kind as a word a reader expects,
"Relationship", "Investment", "Help", in the workbook, the PDF and the Markdown alike
(the deck already did), not the lower-case code keyplan stores ("relationship")."""

import io

import pytest

from keyplan.outputs.export import export_plan
from tests.outputs.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_workbook_risks_and_asks_name_their_kind(org, plan):
    import openpyxl

    book = openpyxl.load_workbook(
        io.BytesIO(export_plan(plan=plan, user=org.rep, fmt="xlsx").content)
    )
    rows = [(r[0].value, r[1].value) for r in book["risks and asks"].iter_rows(min_row=2)]
    risks = {about for kind, about in rows if kind == "Risk"}
    assert "Relationship" in risks
    assert all(about[0].isupper() for _, about in rows), rows


def test_markdown_and_pdf_risks_name_their_kind(org, plan):
    markdown = export_plan(plan=plan, user=org.rep, fmt="md").content.decode()
    assert "- *Relationship:* " in markdown
    assert "- *relationship:* " not in markdown
    text = pdf_text(export_plan(plan=plan, user=org.rep, fmt="pdf").content)
    assert "Relationship: " in text
    assert "relationship: " not in text
