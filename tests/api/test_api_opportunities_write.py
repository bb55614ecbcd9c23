"""Opportunities through the API: status follows a default stage, dates in order, won
deals count as sales at once."""

import datetime
from decimal import Decimal

import pytest

from keyplan.sales.models import Opportunity, SalesMonth
from tests.factories import OpportunityFactory, ProductFactory

pytestmark = pytest.mark.django_db


def deal(**fields):
    return {
        "name": "Analytics rollout",
        "amount": "80000.00",
        "created_date": "2026-01-10",
        "close_date": "2026-05-31",
        **fields,
    }


def test_rep_opens_a_deal_they_own_with_the_stages_probability(as_user, org):
    response = as_user(org.rep).post(
        "/api/v1/opportunities/",
        deal(account=org.mine_child.pk, stage="Negotiation"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["owner"] == org.rep.pk and body["owner_name"] == str(org.rep)
    assert body["status"] == "open" and body["probability"] == 75
    assert body["amount"] == "80000.00" and body["weighted_amount"] == "60000.00"
    assert body["account_name"] == "Mine Division"


def test_a_won_deal_counts_in_the_sales_rollup(as_user, org):
    product = ProductFactory()
    response = as_user(org.rep).post(
        "/api/v1/opportunities/",
        deal(
            account=org.mine.pk,
            product=product.pk,
            stage="Closed Won",
            amount="5000.00",
            close_date="2026-02-10",
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "won" and response.json()["probability"] == 100
    assert response.json()["product_name"] == product.name
    cell = SalesMonth.objects.get(account=org.mine)
    assert cell.month == datetime.date(2026, 2, 1) and cell.amount == Decimal("5000.00")


def test_status_that_contradicts_a_default_stage_is_refused(as_user, org):
    response = as_user(org.rep).post(
        "/api/v1/opportunities/",
        deal(account=org.mine.pk, name="Odd", stage="Closed Lost", status="won"),
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"status": ["Stage “Closed Lost” means status “lost”, not “won”."]}
    assert not Opportunity.objects.filter(name="Odd").exists()


def test_moving_to_a_closed_stage_closes_the_deal(as_user, org):
    opp = OpportunityFactory(account=org.mine, stage="Proposal", status="open")
    response = as_user(org.rep).patch(
        f"/api/v1/opportunities/{opp.pk}/", {"stage": "Closed Lost"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "lost"
    opp.refresh_from_db()
    assert opp.status == "lost"


def test_a_crm_stage_name_keeps_the_status_given(as_user, org):
    response = as_user(org.rep).post(
        "/api/v1/opportunities/",
        deal(account=org.mine.pk, stage="Verbal commit", status="open", probability=90),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["stage"], response.json()["probability"]) == ("Verbal commit", 90)


def test_close_date_before_created_date_is_refused(as_user, org):
    opp = OpportunityFactory(account=org.mine)
    response = as_user(org.rep).patch(
        f"/api/v1/opportunities/{opp.pk}/", {"close_date": "2025-12-31"}, format="json"
    )
    assert response.status_code == 400
    assert "before the created date" in response.json()["close_date"][0]
    opp.refresh_from_db()
    assert opp.close_date == datetime.date(2026, 6, 30)


def test_invalid_deal_gets_field_errors_and_nothing_is_written(as_user, org):
    response = as_user(org.rep).post(
        "/api/v1/opportunities/",
        deal(account=org.mine.pk, amount="-5", probability=150, close_date="soon"),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"amount", "probability", "close_date"}
    assert not Opportunity.objects.exists()


def test_deleting_a_won_deal_takes_it_out_of_the_rollup(as_user, org):
    opp = OpportunityFactory(account=org.mine, stage="Closed Won", status="won", probability=100)
    assert SalesMonth.objects.filter(account=org.mine).exists()
    assert as_user(org.rep).delete(f"/api/v1/opportunities/{opp.pk}/").status_code == 204
    assert not SalesMonth.objects.filter(account=org.mine).exists()
