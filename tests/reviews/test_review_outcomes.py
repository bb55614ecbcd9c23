"""Review mode's record lands in the plans: a new action is created in the plan by the
plans' own service (its rules, its activity feed); closing the sitting marks it held,
keeps a quarterly-review version of each plan and writes each outcome to the plan's
activity. A close with an outcome missing, or from a stale page, changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from keyplan.plans.models import Action, PlanChange, PlanVersion
from keyplan.plans.wording import event_words
from keyplan.reviews import services
from keyplan.reviews.models import ReviewSitting
from tests.reviews.conftest import MON, Q1, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting(team):
    return services.sitting_schedule(
        user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 10)
    )


def _items(sitting):
    return list(sitting.items.select_related("plan__account").order_by("order"))


def test_an_action_decided_at_the_review_is_in_the_plan_and_its_feed(team, sitting):
    atlas, _ = _items(sitting)
    action = services.item_add_action(
        item=atlas,
        user=team.manager,
        title="Book the CFO for the pilot read-out",
        owner=team.rep,
        due_date=datetime.date(2027, 2, 15),
        effort_hours=Decimal("3"),
    )
    assert Action.objects.get(pk=action.pk).plan == team.plan_atlas
    feed = PlanChange.objects.filter(plan=team.plan_atlas, subject="action").first()
    assert feed.label == "Book the CFO for the pilot read-out" and feed.user == team.manager
    assert list(atlas.actions.all()) == [action]


def test_the_plans_own_rules_refuse_a_bad_action_and_nothing_is_added(team, sitting):
    atlas, _ = _items(sitting)
    with pytest.raises(ValidationError) as refused:
        services.item_add_action(
            item=atlas,
            user=team.manager,
            title="Someone else's job",
            owner=team.other,  # cannot see the account
            due_date=datetime.date(2027, 2, 15),
            effort_hours=Decimal("0"),
        )
    errors = refused.value.message_dict
    assert "cannot see Atlas Freight" in errors["owner"][0]
    assert errors["effort_hours"] == ["Effort must be more than 0 hours (got 0)."]
    assert not Action.objects.filter(plan=team.plan_atlas).exists()


def test_closing_keeps_a_version_of_each_plan_and_writes_the_outcome_to_its_feed(team, sitting):
    atlas, mine = _items(sitting)
    services.item_record(
        item=atlas,
        user=team.manager,
        version=atlas.version,
        outcome="at_risk",
        decisions="Qualify two more ideas before March.",
    )
    services.item_record(item=mine, user=team.manager, version=mine.version, outcome="on_track")
    closed = services.sitting_close(sitting=sitting, user=team.manager, version=sitting.version)
    assert closed.status == "held" and closed.held_at is not None
    for item, plan, outcome in [
        (atlas, team.plan_atlas, "at risk"),
        (mine, team.plan_mine, "on track"),
    ]:
        item.refresh_from_db()
        version = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
        assert item.plan_version == version
        assert (version.reason, version.note) == ("review", f"Q1 FY 2027 review: {outcome}")
        assert item.reviewed_at == closed.held_at
        plan.refresh_from_db()
        assert plan.confirmed_by == team.manager
        feed = [event_words(c) for c in PlanChange.objects.filter(plan=plan)]
        assert "reviewed the plan with the team" in feed
        assert any(f"quarterly review “Q1 FY 2027 review: {outcome}" in w for w in feed)
    atlas_feed = PlanChange.objects.get(plan=team.plan_atlas, subject="quarterly review")
    assert atlas_feed.label.endswith("— Qualify two more ideas before March.")


def test_a_close_with_an_outcome_missing_is_refused_and_changes_nothing(team, sitting):
    atlas, mine = _items(sitting)
    services.item_record(item=atlas, user=team.manager, version=1, outcome="on_track")
    versions_before = PlanVersion.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.sitting_close(sitting=sitting, user=team.manager, version=sitting.version)
    assert refused.value.messages == [
        "Record the outcome of every plan before closing the review: Mine Group has none yet."
    ]
    assert ReviewSitting.objects.get(pk=sitting.pk).status == "scheduled"
    assert PlanVersion.objects.count() == versions_before


def test_a_stale_outcome_is_refused_naming_who_saved_it(team, sitting):
    atlas, _ = _items(sitting)
    services.item_record(item=atlas, user=team.manager, version=1, outcome="on_track")
    with pytest.raises(ValidationError) as stale:
        services.item_record(item=atlas, user=team.manager, version=1, outcome="off_track")
    message = stale.value.messages[0]
    assert f"{team.manager} saved the review of Atlas Freight" in message
    assert "(Atlas Freight: on track)" in message
    atlas.refresh_from_db()
    assert atlas.outcome == "on_track"


def test_a_bad_outcome_is_refused_in_words(team, sitting):
    atlas, _ = _items(sitting)
    with pytest.raises(ValidationError) as refused:
        services.item_record(item=atlas, user=team.manager, version=1, outcome="great")
    assert refused.value.message_dict["outcome"] == [
        "Choose the outcome: on track, at risk, off track."
    ]


def test_the_rep_cannot_record_and_a_held_review_stays_as_it_was(team, sitting):
    atlas, mine = _items(sitting)
    with pytest.raises(PermissionDenied):
        services.item_record(item=atlas, user=team.rep, version=1, outcome="on_track")
    for item in (atlas, mine):
        services.item_record(item=item, user=team.manager, version=1, outcome="on_track")
    services.sitting_close(sitting=sitting, user=team.manager, version=sitting.version)
    with pytest.raises(PermissionDenied) as closed:
        services.item_record(item=atlas, user=team.manager, version=2, outcome="off_track")
    assert "held and closed" in str(closed.value)
