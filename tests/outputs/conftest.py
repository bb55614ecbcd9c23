import datetime
import io
from decimal import Decimal

import pytest

from keyplan.plans import services
from tests.factories import ContactFactory

START = datetime.date(2027, 1, 1)
END = datetime.date(2027, 12, 31)


@pytest.fixture
def plan(org):
    """The rep's plan for "Mine Group": revenue goal 1,000,000, stretch 1,500,000, one
    customer goal, two open ideas (1,500,000 and 1,000,000: pipeline 2,500,000, so
    coverage 2.50x the goal and 1.67x the stretch), an objective with a strategy and an
    action, and two contacts on the map (the CFO reports to the CEO)."""
    org.rep.first_name, org.rep.last_name = "Amir", "Becker"
    org.rep.save()
    ceo = ContactFactory(
        account=org.mine,
        first_name="Clara",
        last_name="Chief",
        title="CEO",
        decision_role="decision_maker",
        attitude="supporter",
        relationship_strength="strong",
    )
    cfo = ContactFactory(
        account=org.mine,
        first_name="Jana",
        last_name="Castro",
        title="CFO",
        reports_to=ceo,
        decision_role="decision_maker",
        attitude="neutral",
        relationship_strength="weak",
    )
    plan = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=START,
        period_end=END,
        revenue_goal=Decimal("1000000"),
        stretch_goal=Decimal("1500000"),
    )
    goal = services.element_save(
        kind="goal",
        plan=plan,
        user=org.rep,
        level="corporate",
        title="Halve the time to close the books",
        story="The CFO promised the board.",
    )
    services.element_save(
        kind="idea",
        plan=plan,
        user=org.rep,
        title="Finance data platform",
        annual_value=Decimal("1500000"),
        expected_date=datetime.date(2027, 6, 30),
        confidence=50,
        goal=goal,
    )
    services.element_save(
        kind="idea",
        plan=plan,
        user=org.rep,
        title="Close automation",
        annual_value=Decimal("1000000"),
        confidence=40,
    )
    objective = services.element_save(
        kind="objective",
        plan=plan,
        user=org.rep,
        category="revenue",
        title="Grow to 1M",
        metric="revenue",
        target=Decimal("1000000"),
        due_date=datetime.date(2027, 12, 31),
        owner=org.rep,
    )
    strategy = services.element_save(
        kind="strategy",
        plan=plan,
        user=org.rep,
        objective=objective,
        description="Land the finance platform",
    )
    services.element_save(
        kind="action",
        plan=plan,
        user=org.rep,
        title="Meet the CFO",
        strategy=strategy,
        owner=org.rep,
        due_date=datetime.date(2027, 3, 1),
        effort_hours=Decimal("4"),
        contacts=[cfo],
    )
    org.ceo, org.cfo = ceo, cfo
    return plan


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def deck_texts(content: bytes) -> list[str]:
    """Each slide's text (text boxes and table cells), in order."""
    from pptx import Presentation

    slides = []
    for slide in Presentation(io.BytesIO(content)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
        slides.append("\n".join(parts))
    return slides
