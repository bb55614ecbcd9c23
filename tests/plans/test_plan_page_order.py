"""The plan page lists each section's rows in their set order: goals by level (corporate,
organisational, personal), ideas by annual value (largest first), investment cases by
their idea's value, objectives by due date, versions newest first; rows added later or
with ties in the order of their making."""

import datetime
from decimal import Decimal

from keyplan.plans import services
from tests.plans.conftest import add_idea


def _order(page: str, *names: str) -> list[str]:
    return sorted(names, key=page.index)


def test_each_section_lists_its_rows_in_order(org, plan, client):
    user = org.rep
    for level, title in (
        ("personal", "Goal P"),
        ("corporate", "Goal C1"),
        ("organisational", "Goal O"),
        ("corporate", "Goal C2"),
    ):
        services.element_save(kind="goal", plan=plan, user=user, level=level, title=title)
    ideas = {
        value: add_idea(plan, user, value, title=f"Idea {value}", needs_investment=True)
        for value in ("5000", "90000", "700")
    }
    add_idea(plan, user, "90000", title="Idea 90000 again")
    for value in ("700", "90000", "5000"):
        services.element_save(
            kind="investment",
            plan=plan,
            user=user,
            idea=ideas[value],
            title=f"Case for {value}",
            cost=Decimal("100"),
            expected_return=Decimal("500"),
        )
    for day, title in ((20, "Objective late"), (1, "Objective early")):
        services.element_save(
            kind="objective",
            plan=plan,
            user=user,
            category="revenue",
            title=title,
            metric="revenue",
            target=Decimal("10"),
            due_date=datetime.date(2027, 6, day),
            owner=user,
            progress_source="manual",
        )
    client.force_login(user)
    page = client.get(plan.get_absolute_url()).content.decode()
    goals = page.split('id="goals"')[1].split("</section>")[0]
    assert _order(goals, "Goal P", "Goal C1", "Goal O", "Goal C2") == [
        "Goal C1",
        "Goal C2",
        "Goal O",
        "Goal P",
    ]
    ideas_card = page.split('id="ideas"')[1].split("</section>")[0]
    assert _order(ideas_card, "Idea 5000<", "Idea 90000<", "Idea 700<", "Idea 90000 again") == [
        "Idea 90000<",
        "Idea 90000 again",
        "Idea 5000<",
        "Idea 700<",
    ]
    cases = page.split('id="investments"')[1].split("</section>")[0]
    assert _order(cases, "Case for 700", "Case for 90000", "Case for 5000") == [
        "Case for 90000",
        "Case for 5000",
        "Case for 700",
    ]
    execution = page.split('id="execution"')[1].split("</section>")[0]
    assert _order(execution, "Objective late", "Objective early") == [
        "Objective early",
        "Objective late",
    ]
