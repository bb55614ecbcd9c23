"""Business rules behind the sales facts: sale lines (what every analysis trusts) are
written only by imports and by sales ops and admins; an opportunity's owner must be
someone who sees its account."""

from decimal import Decimal

import pytest

from keyplan.sales.models import Opportunity, SaleLine
from tests.factories import OpportunityFactory, ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

SENTENCE = (
    "Sale lines are the sales facts every analysis relies on: only administrators and "
    "sales operations create, change or delete them (or import them)."
)


@pytest.mark.parametrize("role", ["rep", "manager", "executive"])
def test_reps_managers_and_executives_do_not_write_sale_lines(as_user, org, role):
    client = as_user(getattr(org, role))
    line = SaleLineFactory(account=org.mine, amount=Decimal("100.00"))
    created = client.post(
        "/api/v1/sale-lines/",
        {
            "account": org.mine.pk,
            "product": ProductFactory().pk,
            "date": "2026-05-05",
            "amount": "999999999999",
        },
        format="json",
    )
    changed = client.patch(
        f"/api/v1/sale-lines/{line.pk}/", {"amount": "1.00", "version": 1}, format="json"
    )
    deleted = client.delete(f"/api/v1/sale-lines/{line.pk}/?version=1")
    for response in (created, changed, deleted):
        assert response.status_code == 403
        assert response.json() == {"detail": SENTENCE}
    assert list(SaleLine.objects.values_list("amount", flat=True)) == [Decimal("100.00")]
    # Reading them is as before.
    assert client.get(f"/api/v1/sale-lines/{line.pk}/").status_code == 200


def test_sales_ops_write_sale_lines(as_user, org):
    client = as_user(org.ops)
    response = client.post(
        "/api/v1/sale-lines/",
        {
            "account": org.mine.pk,
            "product": ProductFactory().pk,
            "date": "2026-05-05",
            "amount": "250.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["version"] == 1


def test_an_absurd_sale_line_amount_is_refused(as_user, org):
    response = as_user(org.ops).post(
        "/api/v1/sale-lines/",
        {
            "account": org.mine.pk,
            "product": ProductFactory().pk,
            "date": "2026-05-05",
            "amount": "99999999999999999",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "amount" in response.json()
    assert not SaleLine.objects.exists()


def test_an_opportunity_owner_who_cannot_see_the_account_is_refused(as_user, org):
    client = as_user(org.manager)
    response = client.post(
        "/api/v1/opportunities/",
        {
            "account": org.mine.pk,
            "name": "Expansion",
            "created_date": "2026-05-01",
            "stage": "Prospecting",
            "owner": org.other.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "owner": [
            f"{org.other} cannot see Mine Group: an opportunity's owner must be someone who "
            "sees its account (its owner, on its account team, or above them)."
        ]
    }
    assert not Opportunity.objects.exists()


def test_handing_a_deal_to_someone_who_cannot_see_its_account_is_refused(as_user, org):
    deal = OpportunityFactory(account=org.mine, owner=org.rep)
    response = as_user(org.ops).patch(
        f"/api/v1/opportunities/{deal.pk}/", {"owner": org.other.pk}, format="json"
    )
    assert response.status_code == 400
    assert "cannot see Mine Group" in response.json()["owner"][0]
    deal.refresh_from_db()
    assert deal.owner == org.rep
    # Someone who sees it (the rep's manager) may own it.
    response = as_user(org.ops).patch(
        f"/api/v1/opportunities/{deal.pk}/", {"owner": org.manager.pk}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["owner"] == org.manager.pk
