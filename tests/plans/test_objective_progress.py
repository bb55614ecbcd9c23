"""Objective progress from keyplan's facts (revenue in the plan period, opportunities
from white space, contacts known and engaged) or by hand, with who and when."""

import datetime
from decimal import Decimal

from keyplan.plans import services
from keyplan.plans.health import objective_progress
from tests.factories import ContactFactory, InteractionFactory, ProductFactory, SaleLineFactory


def _objective(plan, user, **fields):
    values = {
        "category": "revenue",
        "title": "Objective",
        "metric": "m",
        "baseline": Decimal("0"),
        "target": Decimal("100"),
        "due_date": datetime.date(2027, 12, 31),
        "owner": user,
    } | fields
    return services.element_save(kind="objective", plan=plan, user=user, **values)


def test_revenue_objective_reads_sales_in_the_plan_period(org, plan):
    product = ProductFactory()
    SaleLineFactory(
        account=org.mine, product=product, date=datetime.date(2027, 2, 10), amount=Decimal("300000")
    )
    SaleLineFactory(
        account=org.mine_child,
        product=product,
        date=datetime.date(2027, 5, 1),
        amount=Decimal("100000"),
    )  # a child: counts only if the plan covers it
    SaleLineFactory(
        account=org.mine,
        product=product,
        date=datetime.date(2026, 12, 31),
        amount=Decimal("999999"),
    )  # before the period
    o = _objective(plan, org.rep, target=Decimal("1000000"), progress_source="revenue")
    plan.covered_accounts.clear()  # the plan for the group's own account only
    [p] = objective_progress(plan, today=datetime.date(2027, 7, 2))
    assert p.current == Decimal("300000") and p.percent == 30
    assert not p.on_track  # half the year gone, 30% done
    plan.covered_accounts.add(org.mine_child)
    [p] = objective_progress(plan, [o], today=datetime.date(2027, 3, 1))
    assert p.current == Decimal("400000") and p.on_track


def test_white_space_objective_counts_ideas_that_became_opportunities(org, plan):
    product = ProductFactory(name="Edge Gateway")
    idea = services.idea_from_whitespace(
        plan=plan, user=org.rep, product=product, value=Decimal("5")
    )
    _objective(
        plan,
        org.rep,
        category="business_development",
        target=Decimal("2"),
        progress_source="white_space",
    )
    [p] = objective_progress(plan)
    assert p.current == 0
    idea = services.idea_move(idea=idea, user=org.rep, stage="qualified")
    services.idea_move(idea=idea, user=org.rep, stage="opportunity")
    [p] = objective_progress(plan)
    assert p.current == 1 and p.percent == 50


def test_relationship_objectives_count_known_and_engaged_contacts(org, plan):
    met = ContactFactory(account=org.mine)
    ContactFactory(account=org.mine, is_active=False)
    interaction = InteractionFactory(account=org.mine, date=datetime.date.today())
    interaction.contacts.add(met)
    _objective(
        plan,
        org.rep,
        category="cross_account",
        target=Decimal("4"),
        progress_source="contacts_known",
    )
    _objective(
        plan,
        org.rep,
        category="cross_account",
        target=Decimal("4"),
        progress_source="contacts_engaged",
    )
    known, engaged = objective_progress(plan)
    assert known.current == 3  # CFO, CIO from the fixture, and "met"
    assert engaged.current == 1


def test_manual_progress_records_who_and_when(org, plan, client):
    o = _objective(
        plan, org.rep, category="marketing", target=Decimal("10"), progress_source="manual"
    )
    [p] = objective_progress(plan)
    assert p.current is None and not p.on_track and "no value entered" in p.source_label
    services.element_save(
        kind="objective", plan=plan, user=org.manager, instance=o, manual_value=Decimal("10")
    )
    [p] = objective_progress(plan)
    assert p.percent == 100 and p.on_track
    assert str(org.manager) in p.source_label
    client.force_login(org.rep)
    assert "on track" in client.get(plan.get_absolute_url()).content.decode()


def test_a_plan_starting_mid_month_counts_its_first_month(org):
    from keyplan.plans import services as plan_services

    plan = plan_services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2027, 1, 15),
        period_end=datetime.date(2027, 12, 31),
        revenue_goal=Decimal("1"),
    )
    SaleLineFactory(
        account=org.mine,
        product=ProductFactory(),
        date=datetime.date(2027, 1, 20),
        amount=Decimal("5000"),
    )
    _objective(plan, org.rep, progress_source="revenue")
    [p] = objective_progress(plan)
    assert p.current == Decimal("5000")
