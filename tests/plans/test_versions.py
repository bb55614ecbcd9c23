"""Versions: a snapshot at activation, at reviews and on demand; any two compared side
by side — added, removed, changed — and the versions themselves never change."""

import datetime
from decimal import Decimal

from keyplan.plans import services
from keyplan.plans.models import PlanVersion
from keyplan.plans.versions import compare
from tests.plans.conftest import add_idea


def test_activation_keeps_version_one_and_a_comparison_shows_what_changed(org, plan, client):
    kept = add_idea(plan, org.rep, "500000", title="Route optimisation")
    gone = add_idea(plan, org.rep, "100000", title="Old idea")
    services.plan_activate(plan=plan, user=org.rep)
    v1 = PlanVersion.objects.get(plan=plan)
    assert v1.number == 1 and v1.reason == "activated"

    services.plan_update(plan=plan, user=org.rep, revenue_goal=Decimal("1100000"))
    services.element_save(
        kind="idea", plan=plan, user=org.rep, instance=kept, annual_value=Decimal("650000")
    )
    services.element_delete(kind="idea", plan=plan, user=org.rep, instance=gone)
    add_idea(plan, org.rep, "300000", title="Partner bundle")
    services.element_save(
        kind="objective",
        plan=plan,
        user=org.rep,
        category="revenue",
        title="Sell 1.1M",
        metric="revenue",
        target=Decimal("1100000"),
        due_date=datetime.date(2027, 12, 31),
        owner=org.rep,
    )
    v2 = services.plan_save_version(plan=plan, user=org.rep, note="before the QBR")

    diff = compare(v1.content, v2.content)
    assert diff["numbers"]["revenue_goal"] == ["1000000", "1100000"]
    assert diff["ideas"]["added"] == ["Partner bundle"]
    assert diff["ideas"]["removed"] == ["Old idea"]
    assert diff["ideas"]["changed"] == [
        ("Route optimisation", {"annual_value": ["500000", "650000"]})
    ]
    assert diff["objectives"]["added"] == ["Sell 1.1M"]

    client.force_login(org.manager)
    page = client.get(f"/plans/{plan.pk}/versions/?a=1&b=2").content.decode()
    assert "added: Partner bundle" in page and "removed: Old idea" in page
    assert "estimated annual value: 500,000 USD → <strong>650,000 USD</strong>" in page


def test_a_version_does_not_change_when_the_plan_does(org, plan):
    add_idea(plan, org.rep, "1", title="First")
    v = services.plan_save_version(plan=plan, user=org.rep)
    add_idea(plan, org.rep, "2", title="Second")
    v.refresh_from_db()
    assert [i["title"] for i in v.content["ideas"].values()] == ["First"]
    now = compare(v.content, __import__("keyplan.plans.versions", fromlist=["x"]).snapshot(plan))
    assert now["ideas"]["added"] == ["Second"]


def test_a_review_confirms_and_keeps_a_version(org, plan, client):
    client.force_login(org.rep)
    client.post(f"/plans/{plan.pk}/confirm/", {"action": "review", "note": "Q1 review"})
    v = PlanVersion.objects.get(plan=plan)
    assert v.reason == "review" and v.note == "Q1 review"
    plan.refresh_from_db()
    assert plan.confirmed_by == org.rep


def test_help_requests_pairings_and_qualitative_goals_are_versioned(org, plan):
    v1 = services.plan_save_version(plan=plan, user=org.rep)
    services.element_save(
        kind="qualitative", plan=plan, user=org.rep, text="Build a repeatable business"
    )
    services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        what="Pricing sign-off",
        asked_of=org.manager,
        needed_by=datetime.date(2027, 2, 1),
    )
    services.element_save(
        kind="pairing",
        plan=plan,
        user=org.rep,
        our_executive=org.executive,
        their_executive=org.cfo,
    )
    v2 = services.plan_save_version(plan=plan, user=org.rep)
    diff = compare(v1.content, v2.content)
    assert diff["qualitative"]["added"] == ["Build a repeatable business"]
    assert diff["help"]["added"] == ["Pricing sign-off"]
    assert diff["pairings"]["added"] == [f"{org.executive} ↔ {org.cfo}"]
