"""Capacity counts territory work beside account-plan actions: per person, month and
strategy the larger of the hours the person gives the strategy and the effort of their
activities in it — the same work is not counted twice."""

import datetime
from decimal import Decimal

from keyplan.plans import services as plan_services
from keyplan.plans.capacity import capacity, territory_capacity
from keyplan.salesplan.territory import services as ts
from tests.salesplan.test_territory_steps import FY, activity, start, strategy

JAN, MAR, APR, MAY, JUL = (datetime.date(FY, m, 1) for m in (1, 3, 4, 5, 7))


def _setup(org):
    org.rep.weekly_hours = Decimal("20")
    org.rep.save()
    plan = ts.facts_review(user=org.rep, plan=start(org))
    s1 = strategy(
        org, plan, "Partner webinars", first_month=JAN, last_month=datetime.date(FY, 6, 1)
    )
    s2 = strategy(org, plan, "CFO dinners", first_month=MAR, last_month=APR)
    ts.resource_save(user=org.rep, strategy=s1, data={"person": org.rep, "hours_per_month": 30})
    ts.resource_save(user=org.rep, strategy=s1, data={"person": org.rep2, "hours_per_month": 10})
    activity(org, plan, s1, "Webinar 1", datetime.date(FY, 3, 3), "8")
    activity(org, plan, s1, "Webinar 2", datetime.date(FY, 3, 24), "10")
    activity(org, plan, s1, "Roadshow", datetime.date(FY, 4, 8), "25")
    activity(org, plan, s1, "Follow-ups", datetime.date(FY, 4, 20), "15")
    activity(org, plan, s1, "Cancelled", datetime.date(FY, 3, 5), "100", status="cancelled")
    activity(org, plan, s2, "Dinner", datetime.date(FY, 3, 12), "5")
    account_plan = plan_services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(FY, 1, 1),
        period_end=datetime.date(FY, 12, 31),
        revenue_goal=Decimal("1"),
    )
    plan_services.element_save(
        kind="action",
        plan=account_plan,
        user=org.rep,
        title="QBR prep",
        owner=org.rep,
        due_date=datetime.date(FY, 3, 15),
        effort_hours=Decimal("12"),
    )
    return plan


def test_the_larger_of_hours_given_and_activity_effort_per_strategy(org, django_assert_num_queries):
    _setup(org)
    with django_assert_num_queries(4):
        [[mar, apr, may, jul], [mar2, *_]] = capacity([org.rep, org.rep2], [MAR, APR, MAY, JUL])
    # March: webinars max(30 given, 8 + 10 done) = 30; dinners 5 (nobody named); + the
    # account plan's 12-hour action = 47 of 88.6 (20 h a week x 31 days / 7).
    assert (mar.planned, mar.territory, mar.available) == (
        Decimal("47"),
        Decimal("35"),
        Decimal("88.6"),
    )
    # April: webinars max(30, 25 + 15) = 40; dinners has no activity and no person that month.
    assert (apr.planned, apr.territory) == (Decimal("40"), Decimal("40"))
    assert may.planned == Decimal("30")  # the hours given, nothing scheduled
    assert jul.planned == 0  # the strategy ended in June
    assert (mar2.planned, mar2.territory) == (Decimal("10"), Decimal("10"))


def test_an_archived_territory_plan_no_longer_counts(org):
    plan = _setup(org)
    ts.territory_plan_archive(user=org.rep, plan=plan)
    [[mar, apr]] = capacity([org.rep], [MAR, APR])
    assert (mar.planned, apr.planned) == (Decimal("12"), 0)  # the account plan's action


def test_the_territory_plans_capacity_covers_its_people_and_months(org):
    plan = _setup(org)
    months, rows = territory_capacity(plan)
    assert months == [datetime.date(FY, m, 1) for m in range(1, 7)]
    by_person = {row[0].person: [load.planned for load in row] for row in rows}
    assert by_person == {
        org.rep: [Decimal(h) for h in ("30", "30", "47", "40", "30", "30")],
        org.rep2: [Decimal("10")] * 6,
    }
    over = [load.month for row in rows for load in row if load.over]
    assert over == []
    # 8 h a week: 35.4 h in 31-day months, 34.3 in 30-day ones, 32 in February — the 30
    # hours given fit; March (47) and April (40) do not.
    org.rep.weekly_hours = Decimal("8")
    org.rep.save()
    _, rows = territory_capacity(plan)
    over = [load.month for row in rows for load in row if load.over]
    assert over == [MAR, APR]


def test_the_capacity_page_lists_someone_whose_only_work_is_a_territory_strategy(org, client):
    """An executive without a team who gives a rep's strategy hours each month is on the
    capacity page, with those hours."""
    org.executive.first_name, org.executive.last_name = "Alex", "Sponsor"
    org.executive.save()
    client.force_login(org.ops)
    assert "Alex Sponsor" not in client.get("/capacity/").content.decode()
    plan = ts.facts_review(user=org.rep, plan=start(org))
    sponsored = strategy(org, plan, "Executive sponsorship", first_month=JAN, last_month=JAN)
    ts.strategy_save(
        user=org.rep,
        plan=plan,
        strategy=sponsored,
        data={"first_month": datetime.date(FY, 1, 1), "last_month": datetime.date(FY, 12, 1)},
    )
    ts.resource_save(
        user=org.rep, strategy=sponsored, data={"person": org.executive, "hours_per_month": 7}
    )
    assert "Alex Sponsor" in client.get("/capacity/").content.decode()
