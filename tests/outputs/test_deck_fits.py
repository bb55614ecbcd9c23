"""No text runs off a slide. The deck lays text out by a documented estimate (a
character 0.6 of the font size wide, a line 1.2 of it high, see keyplan.outputs.deck);
a list too long for one slide goes on to continuation slides, so every box's estimated
text height is within the box and every shape within the slide."""

import datetime
import io
from decimal import Decimal

import pytest
from pptx import Presentation
from pptx.util import Inches

from keyplan.outputs.content import plan_document
from keyplan.outputs.deck import Deck, text_height
from keyplan.plans import services
from tests.outputs.conftest import deck_texts

pytestmark = pytest.mark.django_db


def test_the_estimate_rule():
    # 2 in wide, less 0.1 in margins each side: 1.8 in = 129.6 pt; a 10 pt character is
    # taken as 6 pt wide, so 21 characters a line; 100 characters are 5 lines of 12 pt.
    assert text_height("x" * 100, 10, 2.0) == pytest.approx(5 * 12 / 72)
    assert text_height("a\nb", 10, 2.0) == pytest.approx(2 * 12 / 72)


def assert_fits(deck: Deck, content: bytes):
    over = [(slide, round(need, 2), room) for slide, need, room in deck.boxes if need > room]
    assert over == []
    prs = Presentation(io.BytesIO(content))
    for n, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, n
            assert shape.left + shape.width <= prs.slide_width, n
            assert shape.top + shape.height <= prs.slide_height, (n, shape.name)


def test_long_lists_go_on_to_continuation_slides(org, plan):
    long = "Agree the roll-out plan with every regional director and their finance partner " * 3
    objective = plan.objectives.get()
    for n in range(12):
        strategy_text = f"Strategy {n}: " + long
        if n < 4:
            strategy = services.element_save(
                kind="strategy",
                plan=plan,
                user=org.rep,
                objective=objective,
                description=strategy_text,
            )
        services.element_save(
            kind="action",
            plan=plan,
            user=org.rep,
            title=f"Action {n}: " + long[:230],
            strategy=strategy,
            owner=org.rep,
            due_date=datetime.date(2027, 2, 1 + n),
            effort_hours=Decimal("2"),
        )
    for n in range(5):
        services.element_save(
            kind="goal",
            plan=plan,
            user=org.rep,
            level="personal",
            title=f"Goal {n}: " + long[:200],
            story="Why it matters to them. " * 150,
            customer_aspiration="Be known for it. " * 40,
            value_measure="Hours saved. " * 40,
        )
    deck = Deck(plan_document(plan, org.rep)).build()
    content = deck.save()
    titles = [t.split("\n")[0] for t in deck_texts(content)]
    goals = [t for t in titles if t.startswith("The customer's goals")]
    execution = [t for t in titles if t.startswith("Objectives, strategies and actions")]
    assert len(goals) >= 3 and goals[0] == f"The customer's goals (1 of {len(goals)})"
    assert len(execution) >= 2 and execution[-1].endswith(f"({len(execution)} of {len(execution)})")
    slides = deck_texts(content)
    # Every action is on some slide; the 3,600-character story is cut with "…".
    for n in range(12):
        assert any(f"Action {n}: Agree the roll-out" in s for s in slides)
    assert any("Why it matters to them. Why" in s and "…" in s for s in slides)
    assert_fits(deck, content)


def test_the_demo_plans_fit(db):
    from keyplan.people.models import User
    from keyplan.plans.models import AccountPlan
    from tests.territory.conftest import run_generate

    run_generate("--accounts", 60, "--seed", 11)
    rep = User.objects.get(username="rep")
    for plan in AccountPlan.objects.order_by("pk"):
        deck = Deck(plan_document(plan, rep)).build()
        content = deck.save()
        assert len(deck.prs.slides) >= 12
        assert_fits(deck, content)
        # The subtitle, the longest line of each slide, stays within two lines.
        assert Inches(0.55) >= Inches(text_height(plan.account.name, 12, 12.13))


def test_a_heading_never_ends_a_slide():
    from keyplan.outputs.deck import Heading, keep_headings_with_next

    a, b, c, d, e = ([(x, 12, False, None, 0)] for x in "abcde")
    groups = [Heading(a), b, Heading(c), Heading(d), e, Heading(a)]
    # An objective travels with its first strategy, that with its first action; a
    # heading with nothing after it stays (nothing to keep it with).
    assert keep_headings_with_next(groups) == [a + b, c + d + e, a]
