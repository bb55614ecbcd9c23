"""Where a strategy is named by the start of its text (the activity feed, the action
form's strategy picker), a long one is cut after a whole word and ends in "…", so the
reader sees there is more — never cut off mid-word as if that were all of it."""

import datetime
from decimal import Decimal

from keyplan.plans import services

LONG = (
    "Win the co-funded proof of value on the customer success team of the largest "
    "product, then expand to every product team"
)


def _strategy(org, plan):
    objective = services.element_save(
        kind="objective",
        plan=plan,
        user=org.rep,
        category="revenue",
        title="Grow sales",
        metric="revenue",
        target=Decimal("2"),
        due_date=datetime.date(2027, 6, 30),
        owner=org.rep,
    )
    return services.element_save(
        kind="strategy", plan=plan, user=org.rep, objective=objective, description=LONG
    )


def test_the_feed_names_a_long_strategy_with_an_ellipsis(org, plan, client):
    strategy = _strategy(org, plan)
    services.element_save(
        kind="action",
        plan=plan,
        user=org.rep,
        strategy=strategy,
        title="Kick-off workshop",
        owner=org.rep,
        due_date=datetime.date(2027, 3, 1),
        effort_hours=Decimal("4"),
    )
    client.force_login(org.rep)
    page = client.get(plan.get_absolute_url()).content.decode()
    feed = page.split('data-testid="activity"')[1].split("</section>")[0]
    line = feed.split("strategy: — → ")[1].split("</li>")[0]
    assert line == "Win the co-funded proof of value on the customer success team of the largest…"
    assert "largest pro" not in feed


def test_the_action_form_offers_a_long_strategy_with_an_ellipsis(org, plan, client):
    strategy = _strategy(org, plan)
    client.force_login(org.rep)
    html = client.get(f"/plans/{plan.pk}/action/new/?strategy={strategy.pk}").content.decode()
    picker = html.split('name="strategy"')[1].split("</select>")[0]
    assert "of the largest…</option>" in picker, picker
