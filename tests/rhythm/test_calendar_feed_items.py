"""The personal calendar feed holds what the person must do or decide: their actions
and those of plans they are on, their plans' milestones, their territory-plan
activities, investment decisions they are asked to make or wait for, and their
executive meetings — as all-day events with organiser and attendees."""

import datetime
from decimal import Decimal

from keyplan.plans import services
from keyplan.rhythm.feed import site_host
from keyplan.salesplan.models import TerritoryActivity, TerritoryPlan, TerritoryStrategy
from tests.factories import InteractionFactory
from tests.rhythm.conftest import TODAY, add_action, days
from tests.rhythm.feed_helpers import events, start


def _territory_activity(org, title, due, owner):
    plan = TerritoryPlan.objects.create(rep=org.rep, fiscal_year=due.year)
    strategy = TerritoryStrategy.objects.create(
        plan=plan,
        title="Partner webinars",
        first_month=due.replace(day=1),
        last_month=due.replace(day=1),
    )
    return TerritoryActivity.objects.create(
        plan=plan, strategy=strategy, title=title, owner=owner, due_date=due, effort_hours=3
    )


def test_the_feed_holds_each_kind_with_stable_uids(org, plan, settings):
    settings.KEYPLAN_BASE_URL = "https://keyplan.example.com"
    plan.team.add(org.manager)
    mine = add_action(plan, org.rep, "Call the CFO", days(10))
    managers = add_action(plan, org.rep, "Send the pilot offer", days(12), owner=org.manager)
    milestone = services.element_save(
        kind="milestone", plan=plan, user=org.rep, title="Pilot signed", date=days(40)
    )
    services.element_save(
        kind="milestone", plan=plan, user=org.rep, title="Kick-off held", date=days(-3),
        reached=True,
    )  # fmt: skip
    activity = _territory_activity(org, "Partner webinar", days(20), org.rep)
    meeting = InteractionFactory(
        account=org.mine, kind="meeting", date=days(30), subject="CEO dinner", is_executive=True
    )
    meeting.participants.add(org.executive)
    InteractionFactory(account=org.mine, kind="call", date=days(31), subject="Status call")

    host = site_host()
    assert host == "keyplan.example.com"
    rep = events(org.rep)
    assert set(rep) == {
        f"action-{mine.pk}@{host}",
        f"milestone-{milestone.pk}@{host}",
        f"territory-activity-{activity.pk}@{host}",
    }
    action = rep[f"action-{mine.pk}@{host}"]
    assert start(action) == days(10) and isinstance(start(action), datetime.date)
    assert not isinstance(start(action), datetime.datetime)  # an all-day event
    assert action.decoded("DTEND") == days(11)
    assert str(action["SUMMARY"]) == "Call the CFO (Mine Group)"
    assert str(action["URL"]) == f"https://keyplan.example.com/plans/{plan.pk}/#execution"
    assert str(action["ORGANIZER"]) == "mailto:rep@example.com"
    assert [str(a) for a in [action["ATTENDEE"]]] == ["mailto:rep@example.com"]
    assert action["ATTENDEE"].params["CN"] == str(org.rep)
    assert "DTSTAMP" in action and "SEQUENCE" in action and "LAST-MODIFIED" in action

    assert start(rep[f"milestone-{milestone.pk}@{host}"]) == days(40)
    assert str(rep[f"milestone-{milestone.pk}@{host}"]["SUMMARY"]) == (
        "Milestone: Pilot signed (Mine Group)"
    )
    assert start(rep[f"territory-activity-{activity.pk}@{host}"]) == days(20)
    # the reached milestone, the manager's action and the meetings without the rep
    summaries = {str(e["SUMMARY"]) for e in rep.values()}
    assert not any("Kick-off" in s or "CEO dinner" in s or "Status call" in s for s in summaries)

    # The manager owns "Send the pilot offer" and is on the plan's team, so the rep's
    # action is in their calendar too; both organised by the plan's owner.
    manager = events(org.manager)
    assert f"action-{mine.pk}@{host}" in manager
    offer = manager[f"action-{managers.pk}@{host}"]
    assert str(offer["ORGANIZER"]) == "mailto:rep@example.com"
    assert str(offer["ATTENDEE"]) == "mailto:manager@example.com"
    assert f"milestone-{milestone.pk}@{host}" not in manager  # not their plan

    # The executive took part in the executive dinner: their feed holds it, not the call.
    executive = events(org.executive)
    assert set(executive) == {f"executive-meeting-{meeting.pk}@{host}"}
    assert str(executive[f"executive-meeting-{meeting.pk}@{host}"]["SUMMARY"]) == (
        "Executive meeting: CEO dinner (Mine Group)"
    )


def test_investment_decisions_due_for_the_deciders_and_the_submitter(org, plan):
    idea = services.element_save(
        kind="idea", plan=plan, user=org.rep, title="Innovation lab",
        annual_value=Decimal("900000"), needs_investment=True,
    )  # fmt: skip
    case = services.element_save(
        kind="investment", plan=plan, user=org.rep, idea=idea, title="Lab hardware",
        cost=Decimal("120000"), expected_return=Decimal("900000"),
    )  # fmt: skip
    uid = f"investment-{case.pk}@{site_host()}"
    assert uid not in events(org.manager)  # a draft waits for nobody
    services.investment_submit(case=case, user=org.rep)

    decide = events(org.manager)[uid]
    assert start(decide) == TODAY + datetime.timedelta(days=7)
    assert str(decide["SUMMARY"]) == "Decide the investment case: Lab hardware (Mine Group)"
    assert "cost 120,000 USD" in str(decide["DESCRIPTION"])
    assert str(events(org.rep)[uid]["SUMMARY"]).startswith("Decision due on your investment case")
    # The executive sees the plan but is not asked (the rep's manager is); rep2 is neither.
    assert uid not in events(org.executive)
    assert uid not in events(org.rep2)

    services.investment_decide(case=case, user=org.manager, approve=True)
    assert uid not in events(org.manager) and uid not in events(org.rep)
