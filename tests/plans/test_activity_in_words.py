"""The plan's activity feed reads in words: choices by their label, people by full name,
amounts with thousands separators and the currency, dates in the installation's format,
"—" for nothing — also for changes recorded before the feed used these words."""

import datetime
from decimal import Decimal

from keyplan.plans import services
from keyplan.plans.models import PlanChange


def _feed(client, plan) -> str:
    page = client.get(plan.get_absolute_url()).content.decode()
    return page.split('data-testid="activity"')[1].split("</section>")[0]


def test_the_feed_shows_labels_names_amounts_and_dates(org, plan, client):
    org.rep.first_name, org.rep.last_name = "Amir", "Becker"
    org.rep.save()
    org.cfo.first_name, org.cfo.last_name = "Jana", "Castro"
    org.cfo.save()
    services.plan_update(plan=plan, user=org.manager, revenue_goal=Decimal("1200000"))
    objective = services.element_save(
        kind="objective",
        plan=plan,
        user=org.rep,
        category="cross_account",
        title="Two divisions buy",
        metric="divisions",
        target=Decimal("2"),
        due_date=datetime.date(2027, 6, 30),
        owner=org.rep,
    )
    services.element_save(
        kind="action",
        plan=plan,
        user=org.rep,
        title="Meet the CFO",
        owner=org.rep,
        due_date=datetime.date(2027, 3, 1),
        effort_hours=Decimal("4"),
        contacts=[org.cfo, org.cio],
    )
    services.element_save(
        kind="objective", plan=plan, user=org.rep, instance=objective, category="revenue"
    )

    client.force_login(org.rep)
    feed = _feed(client, plan)
    assert "revenue goal: 1,000,000 USD → 1,200,000 USD" in feed
    assert "category: — → Cross-account" in feed and "category: Cross-account → Revenue" in feed
    assert "owner: — → Amir Becker" in feed
    assert "contacts: — → Ivan Tech, Jana Castro" in feed
    assert "due date: — → 2027-03-01" in feed
    assert "added objective “Two divisions buy”" in feed
    for raw in ("cross_account", "1200000", "revenue_goal", "due_date"):
        assert raw not in feed


def test_a_change_recorded_before_still_reads_in_words(org, plan, client):
    PlanChange.objects.create(
        plan=plan,
        user=org.rep,
        action="updated",
        subject="investment",
        label="Pilot",
        changes={"status": ["draft", "submitted"], "cost": ["14000", "9500.5"]},
    )
    client.force_login(org.rep)
    feed = _feed(client, plan)
    assert "status: Draft → Submitted for approval" in feed
    assert "total cost: 14,000 USD → 9,500.50 USD" in feed
    assert "changed investment case “Pilot”" in feed


def test_a_long_text_change_shows_what_changed_not_two_cut_off_copies(org, plan, client):
    story = (
        "They see us as a reliable supplier of spare parts for the whole fleet in the "
        "Nordics, and they buy from us every quarter without much discussion at all."
    )
    services.plan_update(plan=plan, user=org.rep, value_perception=story)
    services.plan_update(
        plan=plan, user=org.rep, value_perception=story.replace("spare parts", "services")
    )
    client.force_login(org.rep)
    feed = _feed(client, plan)
    assert "a reliable supplier of <del>spare parts</del><ins>services</ins> for the whole" in feed
