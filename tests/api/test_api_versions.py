"""Optimistic locking on every writable resource: the version is shown (and is the ETag
of a detail GET); a change or delete without one is refused with 428, from an older one
with 409 saying when it changed, and nothing is saved either way."""

import pytest

from keyplan.accounts.models import Account, Contact, Interaction
from keyplan.catalog.models import Product, ProductLine
from keyplan.sales.models import Opportunity, SaleLine
from tests.factories import (
    ContactFactory,
    InteractionFactory,
    OpportunityFactory,
    ProductFactory,
    SaleLineFactory,
)

pytestmark = pytest.mark.django_db

# endpoint, model, a factory of one record, a harmless change
RESOURCES = [
    ("accounts", Account, lambda org: org.mine_child, {"industry": "Retail"}),
    ("contacts", Contact, lambda org: ContactFactory(account=org.mine), {"title": "CFO"}),
    (
        "interactions",
        Interaction,
        lambda org: _interaction(org),
        {"subject": "Quarterly review"},
    ),
    (
        "opportunities",
        Opportunity,
        lambda org: OpportunityFactory(account=org.mine),
        {"probability": 40},
    ),
    ("sale-lines", SaleLine, lambda org: SaleLineFactory(account=org.mine), {"quantity": "3"}),
    ("products", Product, lambda org: ProductFactory(), {"list_price": "12.00"}),
    (
        "product-lines",
        ProductLine,
        lambda org: ProductFactory().product_line,
        {"description": "New"},
    ),
]
IDS = [r[0] for r in RESOURCES]


def _interaction(org):
    interaction = InteractionFactory(account=org.mine)
    interaction.contacts.add(ContactFactory(account=org.mine))
    return interaction


@pytest.fixture
def ops(api_client, org):
    api_client.force_authenticate(org.ops)
    return api_client


@pytest.mark.parametrize(("endpoint", "model", "make", "change"), RESOURCES, ids=IDS)
def test_a_detail_read_shows_the_version_and_its_etag(ops, org, endpoint, model, make, change):
    record = make(org)
    response = ops.get(f"/api/v1/{endpoint}/{record.pk}/")
    assert response.json()["version"] == 1
    assert response["ETag"] == '"1"'


@pytest.mark.parametrize(("endpoint", "model", "make", "change"), RESOURCES, ids=IDS)
def test_a_change_without_a_version_is_428_and_nothing_is_saved(
    ops, org, endpoint, model, make, change
):
    record = make(org)
    url = f"/api/v1/{endpoint}/{record.pk}/"
    before = ops.get(url).json()
    response = ops.patch(url, change, format="json")
    assert response.status_code == 428
    assert response.json()["detail"].startswith("Send the version you loaded")
    assert ops.get(url).json() == before
    assert ops.delete(url).status_code == 428
    assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(("endpoint", "model", "make", "change"), RESOURCES, ids=IDS)
def test_a_change_from_the_version_loaded_is_saved_and_counts_up(
    ops, org, endpoint, model, make, change
):
    record = make(org)
    url = f"/api/v1/{endpoint}/{record.pk}/"
    response = ops.patch(url, change | {"version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2 and response["ETag"] == '"2"'
    assert model.objects.get(pk=record.pk).version == 2
    # The ETag as If-Match is as good as the field.
    response = ops.patch(url, change, format="json", HTTP_IF_MATCH='"2"')
    assert response.status_code == 200 and response.json()["version"] == 3


@pytest.mark.parametrize(("endpoint", "model", "make", "change"), RESOURCES, ids=IDS)
def test_a_change_from_an_older_version_is_409_and_shows_the_record_now(
    ops, org, endpoint, model, make, change
):
    record = make(org)
    url = f"/api/v1/{endpoint}/{record.pk}/"
    assert ops.patch(url, change | {"version": 1}, format="json").status_code == 200
    response = ops.patch(url, change | {"version": 1}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert "you sent version 1, it is now version 2" in body["detail"]
    assert "Nothing was saved" in body["detail"]
    assert body["current"]["version"] == 2
    stale_delete = ops.delete(url, HTTP_IF_MATCH='"1"')
    assert stale_delete.status_code == 409
    assert model.objects.filter(pk=record.pk).exists()


def test_a_delete_names_its_version(ops, org):
    deal = OpportunityFactory(account=org.mine)
    assert ops.delete(f"/api/v1/opportunities/{deal.pk}/?version=1").status_code == 204
    assert not Opportunity.objects.filter(pk=deal.pk).exists()


@pytest.mark.parametrize("sent", ["abc", "0", "-1", "99999999999999999999"])
def test_a_version_that_is_not_a_number_is_400(ops, org, sent):
    response = ops.patch(
        f"/api/v1/accounts/{org.mine.pk}/", {"industry": "X"}, format="json", HTTP_IF_MATCH=sent
    )
    assert response.status_code == 400
    assert "is not a version number" in response.json()["version"][0]


def test_an_invisible_record_is_404_before_any_version_rule(api_client, org):
    api_client.force_authenticate(org.rep)
    response = api_client.patch(f"/api/v1/accounts/{org.theirs.pk}/", {}, format="json")
    assert response.status_code == 404
