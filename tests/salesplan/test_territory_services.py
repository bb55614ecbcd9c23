"""Writing a territory plan: bad input is refused field by field with nothing saved, a
save from a stale copy is refused saying who saved what and when, every change is in the
plan's trail, and versions keep the whole plan and compare in words."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from keyplan.plans.services.common import EditConflict
from keyplan.salesplan.models import (
    StrategyResource,
    TerritoryPlanChange,
    TerritoryStrategy,
)
from keyplan.salesplan.territory import services as ts
from keyplan.salesplan.territory import versions
from tests.factories import ProductLineFactory, UserFactory
from tests.salesplan.test_territory_steps import FY, activity, build, start, strategy


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.fixture
def plan(org):
    plan = start(org)
    return ts.facts_review(user=org.rep, plan=plan, note="Two A accounts carry the year")


def test_a_second_plan_for_the_same_rep_and_year_is_refused(org, plan):
    errors = errors_of(lambda: ts.territory_plan_create(user=org.rep, rep=org.rep, fiscal_year=FY))
    assert errors == {
        "fiscal_year": [
            f"{org.rep} already has a territory plan for FY 2027; open it instead of "
            "starting another."
        ]
    }
    assert ts.territory_plan_for(rep=org.rep, fiscal_year=FY) == plan


def test_a_strategy_with_bad_input_is_refused_field_by_field(org, plan):
    errors = errors_of(
        lambda: ts.strategy_save(
            user=org.rep,
            plan=plan,
            data={
                "title": " ",
                "leverages": ["partners", "magic"],
                "target_tiers": ["A", "D"],
                "target_account_ids": [org.mine.pk, org.theirs.pk],
                "first_month": datetime.date(2026, 12, 1),
                "last_month": "2027-13-01",
            },
        )
    )
    assert errors["title"] == ["Give the title."]
    assert errors["leverages"][0].startswith("magic: not something a strategy leverages")
    assert errors["target_tiers"] == ["D: tiers are A, B and C."]
    assert errors["target_account_ids"] == [
        f"1 account (id {org.theirs.pk}) is not in {org.rep}'s territory: a strategy aims at "
        "the rep's own accounts."
    ]
    assert errors["first_month"] == [
        "The first month, December 2026, is outside FY 2027 (January – December 2027)."
    ]
    assert errors["last_month"] == ["“2027-13-01” is not a date (write it as 2027-03-31)."]
    assert not TerritoryStrategy.objects.exists()
    backwards = errors_of(
        lambda: strategy(org, plan, "Backwards", first_month="2027-06-15", last_month="2027-02-01")
    )
    assert backwards == {
        "last_month": ["The last month (February 2027) is before the first (June 2027)."]
    }


def test_a_strategy_aims_at_the_reps_accounts_and_months_are_whole(org, plan):
    saved = strategy(
        org,
        plan,
        "Divisions first",
        target_account_ids=[org.mine.pk, org.mine_child.pk],
        leverages=["sdrs", "marketing"],
        first_month="2027-02-17",
    )
    assert sorted(a.name for a in saved.target_accounts.all()) == ["Mine Division", "Mine Group"]
    assert saved.leverages == ["marketing", "sdrs"]  # in the fixed order of the choices
    assert saved.first_month == datetime.date(2027, 2, 1)


def test_at_most_five_strategies(org, plan):
    for n in range(5):
        strategy(org, plan, f"Strategy {n + 1}")
    errors = errors_of(lambda: strategy(org, plan, "Strategy 6"))
    assert errors["title"][0].startswith("This plan already has 5 strategies")
    assert TerritoryStrategy.objects.filter(plan=plan).count() == 5


def test_people_give_hours_between_0_and_200_once_per_strategy(org, plan):
    webinars = strategy(org, plan, "Partner webinars")
    for hours, message in (
        ("0", "The hours per month must be more than 0 hours (got 0)."),
        (
            "250",
            "The hours per month of 250 hours is not plausible: at most 200 (a month has "
            "about 170 working hours).",
        ),
        ("lots", "“lots” is not a number."),
    ):
        errors = errors_of(
            lambda h=hours: ts.resource_save(
                user=org.rep, strategy=webinars, data={"person": org.rep2, "hours_per_month": h}
            )
        )
        assert errors == {"hours_per_month": [message]}
    ts.resource_save(
        user=org.rep,
        strategy=webinars,
        data={"person": org.rep2, "hours_per_month": "12.5", "role": "Runs the webinars"},
    )
    errors = errors_of(
        lambda: ts.resource_save(
            user=org.rep, strategy=webinars, data={"person": org.rep2.pk, "hours_per_month": 3}
        )
    )
    assert errors == {
        "person": [
            f"{org.rep2} already gives “Partner webinars” 12.5 hours a month; change that "
            "row instead."
        ]
    }
    gone = UserFactory(username="gone", is_active=False)
    errors = errors_of(
        lambda: ts.resource_save(
            user=org.rep, strategy=webinars, data={"person": gone, "hours_per_month": 3}
        )
    )
    assert errors == {"person": [f"{gone} is no longer active: choose someone who is."]}
    assert StrategyResource.objects.count() == 1


def test_activities_are_dated_in_the_year_owned_and_marked_done(org, plan):
    webinars = strategy(org, plan, "Partner webinars")
    errors = errors_of(
        lambda: activity(org, plan, webinars, day=datetime.date(2028, 1, 5), hours="0")
    )
    assert errors == {
        "due_date": [
            f"The due date {_day('2028-01-05')} is outside FY 2027 "
            f"({_day('2027-01-01')} – {_day('2027-12-31')})."
        ],
        "effort_hours": ["The effort must be more than 0 hours (got 0)."],
    }
    done = activity(org, plan, webinars, status="done")
    assert done.completed_at is not None
    again = ts.activity_save(
        user=org.rep, plan=plan, activity=done, data={"status": "planned"}, version=done.version
    )
    assert again.completed_at is None and again.version == 2 and again.title == "Webinar"


def _day(iso):
    from keyplan.core import words

    return words.day(datetime.date.fromisoformat(iso))


def test_objectives_name_their_dimension_and_strategies(org, plan):
    webinars = strategy(org, plan, "Partner webinars")
    activity(org, plan, webinars)
    other = ts.territory_plan_create(user=org.manager, rep=org.rep2, fiscal_year=FY)
    other = ts.facts_review(user=org.manager, plan=other)
    foreign = ts.strategy_save(
        user=org.manager,
        plan=other,
        data={"title": "Theirs", "first_month": "2027-01-01", "last_month": "2027-02-01"},
    )

    def save(**data):
        return ts.objective_save(user=org.rep, plan=plan, data=data)

    assert errors_of(lambda: save(kind="revenue_tier", target="5", strategies=[webinars.pk])) == {
        "dimension": ["Say which tier it is about."]
    }
    assert errors_of(
        lambda: save(kind="revenue_tier", dimension="D", target="5", strategies=[webinars.pk])
    ) == {"dimension": ["“D” is not a tier; choose from A, B, C."]}
    assert errors_of(lambda: save(kind="revenue_line", target="-1", strategies=[webinars.pk])) == {
        "product_line": ["Choose the product line."],
        "target": ["A target cannot be negative (got -1)."],
    }
    assert errors_of(
        lambda: save(
            kind="revenue_channel",
            dimension="own",
            target="1",
            cadence="month",
            strategies=[webinars.pk],
        )
    ) == {
        "cadence": [
            "Only activity objectives are counted per month or quarter; the others are for "
            "the whole period."
        ]
    }
    assert errors_of(lambda: save(kind="new_logos", target="3", strategies=[])) == {
        "strategies": ["Name the strategy (or strategies) this objective serves."]
    }
    assert errors_of(lambda: save(kind="new_logos", target="3", strategies=[foreign.pk])) == {
        "strategies": ["Every strategy named must be one of this plan's."]
    }
    assert errors_of(
        lambda: save(kind="new_logos", target="1000000000001", strategies=[webinars.pk])
    ) == {"target": ["A target of 1,000,000,000,001 is not plausible: it is more than a trillion."]}
    a = save(kind="revenue_tier", dimension="a", target="2400000", strategies=[webinars.pk])
    line = ProductLineFactory(name="Analytics")
    by_line = save(
        kind="revenue_line", product_line=line.pk, target="900000", strategies=[webinars.pk]
    )
    meetings = save(kind="activity", target="6", cadence="month", strategies=[webinars.pk])
    assert (a.title, a.dimension, a.target) == ("Revenue from A accounts", "A", Decimal("2400000"))
    assert by_line.title == "Revenue from Analytics" and by_line.product_line == line
    assert (meetings.title, meetings.cadence) == ("Activity", "month")


def test_a_stale_save_is_refused_saying_who_saved_what_and_when(org, plan):
    webinars = strategy(org, plan, "Partner webinars")
    loaded = webinars.version
    ts.strategy_save(
        user=org.manager,
        plan=plan,
        strategy=webinars,
        data={"title": "Partner roadshows"},
        version=loaded,
    )
    with pytest.raises(EditConflict) as caught:
        ts.strategy_save(
            user=org.rep,
            plan=plan,
            strategy=webinars,
            data={"title": "Partner events"},
            version=loaded,
        )
    message = caught.value.messages[0]
    assert message.startswith(f"{org.manager} saved this strategy at ")
    assert "after you opened it (title: “Partner webinars” → “Partner roadshows”)." in message
    assert message.endswith(
        "Your changes were not saved; reload to see theirs and apply yours again."
    )
    assert TerritoryStrategy.objects.get(pk=webinars.pk).title == "Partner roadshows"
    # The plan as a whole: activating from a copy loaded before the strategy was renamed.
    plan.refresh_from_db()
    with pytest.raises(EditConflict, match=r"changed strategy “Partner roadshows”: title"):
        ts.territory_plan_activate(user=org.rep, plan=plan, version=plan.version - 1)


def test_every_change_is_in_the_trail(org, plan):
    webinars = strategy(org, plan, "Partner webinars")
    resource = ts.resource_save(
        user=org.rep, strategy=webinars, data={"person": org.rep2, "hours_per_month": "20"}
    )
    ts.resource_save(
        user=org.manager,
        strategy=webinars,
        resource=resource,
        data={"hours_per_month": "30"},
        version=1,
    )
    ts.resource_delete(user=org.rep, resource=resource, version=2)
    trail = list(
        TerritoryPlanChange.objects.filter(plan=plan)
        .order_by("pk")
        .values_list("user__username", "action", "subject", "label", "changes")
    )
    assert [row[:4] for row in trail] == [
        ("rep", "created", "territory plan", "started"),
        ("rep", "updated", "territory plan", "facts read"),
        ("rep", "created", "strategy", "Partner webinars"),
        ("rep", "created", "resource", f"{org.rep2} on “Partner webinars”"),
        ("manager", "updated", "resource", f"{org.rep2} on “Partner webinars”"),
        ("rep", "deleted", "resource", f"{org.rep2} on “Partner webinars”"),
    ]
    assert trail[1][4]["facts_note"] == ["", "Two A accounts carry the year"]
    assert trail[4][4] == {"hours_per_month": ["20", "30"]}
    change = TerritoryPlanChange.objects.filter(subject="strategy").get()
    assert versions.change_words(change) == "added strategy “Partner webinars”"
    rows = {r.label: r.after for r in versions.change_rows(change)}
    assert rows["leverages"] == "Partners" and rows["target tiers"] == "A"
    plan.refresh_from_db()
    assert plan.version == 6  # started at 1; five changes since


def test_a_version_keeps_the_whole_plan_and_two_compare_in_words(org):
    plan, webinars = build(org)
    ts.resource_save(
        user=org.rep, strategy=webinars, data={"person": org.rep2, "hours_per_month": "20"}
    )
    first = ts.territory_version_take(user=org.rep, plan=plan, note="Before the QBR")
    content = first.content
    assert content["plan"]["facts_note"] == "A accounts carry the year"
    assert content["strategies"][str(webinars.pk)]["people"] == [f"{org.rep2}: 20 h a month"]
    assert [a["title"] for a in content["activities"].values()] == ["Webinar"]
    assert [o["title"] for o in content["objectives"].values()] == ["Revenue from A accounts"]
    assert [g["text"] for g in content["goals"].values()] == ["Partner of record in the north"]
    ts.strategy_save(
        user=org.rep,
        plan=plan,
        strategy=webinars,
        data={"leverages": ["partners", "executives"]},
        version=webinars.version,
    )
    ts.goal_save(user=org.rep, plan=plan, data={"text": "Known by every CFO"})
    comparison = versions.compare(first.content, versions.snapshot(plan))
    assert comparison.lines() == [
        "Strategies: “Partner webinars” changed — leverages: “Partners” → “Our executives, "
        "Partners”.",
        "Goals: added “Known by every CFO”.",
    ]
    assert versions.compare(first.content, first.content).same


def test_a_snapshot_takes_the_same_queries_however_large_the_plan(org, django_assert_num_queries):
    plan, webinars = build(org)
    with django_assert_num_queries(7):
        versions.snapshot(plan)
    for n in range(3):
        s = strategy(org, plan, f"More {n}")
        activity(org, plan, s, title=f"Call {n}")
        ts.resource_save(user=org.rep, strategy=s, data={"person": org.rep2, "hours_per_month": 2})
    with django_assert_num_queries(7):
        versions.snapshot(plan)
