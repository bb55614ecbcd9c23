"""The plan pages: start a plan from the account, edit sections and add items in place
(HTMX returns the refreshed section, or the refreshed plan body after an item's change),
white space to an idea in one click."""

from decimal import Decimal

from keyplan.plans.models import AccountPlan
from tests.factories import ProductFactory
from tests.plans.conftest import add_idea


def test_rep_starts_a_plan_from_the_account_page(org, client):
    client.force_login(org.rep)
    page = client.get(org.mine.get_absolute_url()).content.decode()
    assert 'data-testid="start-plan"' in page
    form = client.get(f"/accounts/{org.mine.pk}/plans/new/").content.decode()
    assert "run-rate" in form and "share of wallet" in form
    response = client.post(
        f"/accounts/{org.mine.pk}/plans/new/",
        {
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
            "revenue_goal": "750000",
            "stretch_goal": "900000",
            "aspiration_years": "3",
            "covered_accounts": [org.mine_child.pk],
        },
    )
    plan = AccountPlan.objects.get(account=org.mine)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.owner == org.rep and plan.status == "draft"
    assert list(plan.covered_accounts.all()) == [org.mine_child]
    assert "Account plans:" in client.get(org.mine.get_absolute_url()).content.decode()


def test_htmx_section_edit_returns_the_refreshed_section(org, plan, client):
    client.force_login(org.rep)
    form = client.get(f"/plans/{plan.pk}/section/insights/", HTTP_HX_REQUEST="true")
    assert (
        b"How we think the customer sees our value" in form.content and b"<html" not in form.content
    )
    response = client.post(
        f"/plans/{plan.pk}/section/insights/",
        {"value_perception": "Their safest supplier", "our_aspirations": "", "version": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="insights">')
    assert "Their safest supplier" in html.split("</section>")[0]
    plan.refresh_from_db()
    assert plan.value_perception == "Their safest supplier" and plan.version == 2


def test_adding_a_goal_updates_the_steps(org, plan, client):
    client.force_login(org.rep)
    response = client.post(
        f"/plans/{plan.pk}/goal/new/",
        {
            "level": "corporate",
            "title": "Halve time to market",
            "contacts": [org.cfo.pk],
            "source_contact": org.cfo.pk,
            "source_date": "2026-10-02",
            "source_note": "QBR",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Halve time to market" in html and "Clara Finance on 2026-10-02" in html
    step = html.split('data-testid="step-goals"')[1].split("</li>")[0]
    assert "complete" in step


def test_user_text_is_escaped(org, plan, client):
    add_idea(plan, org.rep, "1000", title="<script>alert(1)</script>")
    client.force_login(org.rep)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_white_space_cell_becomes_an_idea(org, plan, client):
    product = ProductFactory(name="Edge Gateway")
    client.force_login(org.rep)
    response = client.post(
        f"/plans/{plan.pk}/ideas/from-whitespace/",
        {"product": product.pk, "value": "125000.50"},
        HTTP_HX_REQUEST="true",
    )
    assert "Introduce Edge Gateway" in response.content.decode()
    idea = plan.ideas.get()
    assert idea.product == product and idea.annual_value == Decimal("125000.50")
    again = client.post(
        f"/plans/{plan.pk}/ideas/from-whitespace/",
        {"product": product.pk, "value": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert "already has an open idea" in again.content.decode()
    assert again["HX-Retarget"] == "#plan-messages"
    assert plan.ideas.count() == 1


def test_plan_page_query_count_does_not_grow_with_items(org, plan, client):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from keyplan.plans import services

    def add_batch(n):
        add_idea(plan, org.rep, str(1000 + n), title=f"Idea {n}")
        objective = services.element_save(
            kind="objective",
            plan=plan,
            user=org.rep,
            category="revenue",
            title=f"O{n}",
            metric="revenue",
            target=Decimal("10"),
            due_date=datetime.date(2027, 12, 31),
            owner=org.rep,
            progress_source="revenue",
        )
        strategy = services.element_save(
            kind="strategy", plan=plan, user=org.rep, objective=objective, description=f"S{n}"
        )
        services.element_save(
            kind="action",
            plan=plan,
            user=org.rep,
            strategy=strategy,
            title=f"A{n}",
            owner=org.rep,
            due_date=datetime.date(2027, 3, 1),
            effort_hours=Decimal("1"),
            contacts=[org.cfo],
        )
        services.element_save(
            kind="goal",
            plan=plan,
            user=org.rep,
            level="personal",
            title=f"G{n}",
            contacts=[org.cio],
        )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(plan.get_absolute_url()).status_code == 200
        return len(ctx.captured_queries)

    client.force_login(org.rep)
    add_batch(0)
    count()  # warm the caches
    small = count()
    for n in range(1, 15):
        add_batch(n)
    assert count() == small
    assert small <= 60


def test_an_idea_can_become_an_existing_opportunity(org, plan, client):
    import datetime

    from tests.factories import OpportunityFactory

    opp = OpportunityFactory(
        account=org.mine,
        name="Fleet renewal",
        amount=Decimal("300000"),
        created_date=datetime.date(2026, 1, 1),
        close_date=datetime.date(2027, 3, 1),
    )
    idea = add_idea(plan, org.rep, "250000", title="Fleet telematics")
    client.force_login(org.rep)
    client.post(f"/plans/{plan.pk}/ideas/{idea.pk}/move/", {"stage": "qualified"})
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "link: Fleet renewal" in page
    client.post(
        f"/plans/{plan.pk}/ideas/{idea.pk}/move/", {"stage": "opportunity", "opportunity": opp.pk}
    )
    idea.refresh_from_db()
    assert idea.stage == "opportunity" and idea.opportunity == opp


def test_a_new_plan_covers_the_whole_group_unless_told_otherwise(org):
    from keyplan.plans import services

    group = services.plan_create(account=org.mine, user=org.rep, revenue_goal=Decimal("1"))
    alone = services.plan_create(
        account=org.mine, user=org.rep, revenue_goal=Decimal("1"), covered_accounts=[]
    )
    assert list(group.covered_accounts.all()) == [org.mine_child]
    assert not alone.covered_accounts.exists()


def test_a_form_opened_as_a_page_posts_as_a_plain_form(org, plan, client):
    client.force_login(org.rep)
    page = client.get(f"/plans/{plan.pk}/goal/new/").content.decode()
    assert "<html" in page and "hx-post" not in page.split('data-testid="plan-form"')[0][-400:]
    response = client.post(f"/plans/{plan.pk}/goal/new/", {"level": "corporate", "title": "X"})
    assert response.status_code == 302 and plan.goals.filter(title="X").exists()


def test_saving_basics_keeps_deeper_covered_accounts(org, plan, client):
    from keyplan.plans import services
    from tests.factories import AccountFactory

    grandchild = AccountFactory(name="Mine Plant", parent=org.mine_child)
    services.plan_update(plan=plan, user=org.rep, covered_accounts=[org.mine_child, grandchild])
    plan.refresh_from_db()
    client.force_login(org.rep)
    client.post(
        f"/plans/{plan.pk}/section/basics/",
        {
            "period_start": "2027-01-01",
            "period_end": "2027-12-31",
            "revenue_goal": "1200000",
            "stretch_goal": "1500000",
            "aspiration_years": "3",
            "owner": org.rep.pk,
            "covered_accounts": [org.mine_child.pk, grandchild.pk],
            "version": plan.version,
        },
    )
    plan.refresh_from_db()
    assert plan.revenue_goal == Decimal("1200000")
    assert set(plan.covered_accounts.all()) == {org.mine_child, grandchild}
