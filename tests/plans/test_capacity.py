"""Effort of actions per person per month, across all plans, against available hours."""

import datetime
from decimal import Decimal

from keyplan.plans import services
from keyplan.plans.capacity import available_hours, capacity


def _action(plan, user, day, hours, **extra):
    return services.element_save(
        kind="action",
        plan=plan,
        user=user,
        title=f"{hours}h",
        owner=user,
        due_date=day,
        effort_hours=Decimal(hours),
        **extra,
    )


def test_hours_are_summed_per_person_and_month_across_plans(org, plan):
    other_plan = services.plan_create(
        account=org.mine_child,
        user=org.rep,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        revenue_goal=Decimal("1"),
    )
    _action(plan, org.rep, datetime.date(2027, 3, 3), "30")
    _action(plan, org.rep, datetime.date(2027, 3, 28), "25.5")
    _action(other_plan, org.rep, datetime.date(2027, 3, 10), "40")
    _action(plan, org.rep, datetime.date(2027, 4, 1), "8")
    _action(plan, org.rep, datetime.date(2027, 3, 5), "100", status="cancelled")  # not counted
    org.rep.weekly_hours = Decimal("20")
    org.rep.save()
    march, april = datetime.date(2027, 3, 1), datetime.date(2027, 4, 1)
    [[m, a]] = capacity([org.rep], [march, april])
    assert m.planned == Decimal("95.5") and a.planned == Decimal("8")
    assert m.available == Decimal("88.6")  # 20 h a week x 31 days / 7
    assert m.over and not a.over
    assert available_hours(Decimal("20"), april) == Decimal("85.7")


def test_archived_plans_do_not_count(org, plan):
    _action(plan, org.rep, datetime.date(2027, 3, 3), "30")
    services.plan_activate(plan=plan, user=org.rep)
    services.plan_archive(plan=plan, user=org.rep)
    [[load]] = capacity([org.rep], [datetime.date(2027, 3, 1)])
    assert load.planned == 0


def test_plan_page_and_team_page_show_over_commitment(org, plan, client):
    org.rep.weekly_hours = Decimal("5")
    org.rep.save()
    _action(plan, org.rep, datetime.date(2027, 3, 3), "30")
    client.force_login(org.manager)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert (
        'data-testid="over-committed"' in html
        and str(org.rep) in html.split("over-committed")[1][:300]
    )
    today = datetime.date.today()
    services.element_save(
        kind="action",
        plan=plan,
        user=org.rep,
        title="Soon",
        owner=org.rep,
        due_date=today + datetime.timedelta(days=3),
        effort_hours=Decimal("40"),
        confirm_outside_period=True,
    )
    page = client.get("/capacity/").content.decode()
    assert 'data-testid="team-over"' in page and str(org.rep) in page
    client.force_login(org.other)
    assert str(org.rep) not in client.get("/capacity/").content.decode()
