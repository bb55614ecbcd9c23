"""The opportunity page writes its amount as every other page does: thousands
separators and the currency, cents only when there are some — not "3,000,000.00 USD"
beside a weighted "1,500,000 USD"."""

from decimal import Decimal

import pytest

from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def _amount(html: str) -> str:
    return html.split("<dt>Amount</dt><dd>")[1].split("</dd>")[0]


def test_a_whole_amount_has_no_cents(client, org):
    deal = OpportunityFactory(account=org.mine, amount=Decimal("3000000"), probability=50)
    client.force_login(org.rep)
    html = client.get(f"/opportunities/{deal.pk}/").content.decode()
    assert _amount(html) == "3,000,000 USD"
    assert "weighted 1,500,000 USD" in html


def test_an_amount_with_cents_keeps_them(client, org):
    deal = OpportunityFactory(account=org.mine, amount=Decimal("130586.04"))
    client.force_login(org.rep)
    assert _amount(client.get(f"/opportunities/{deal.pk}/").content.decode()) == "130,586.04 USD"
