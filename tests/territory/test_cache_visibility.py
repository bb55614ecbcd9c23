"""Cached analyses follow what the viewer may see, not only the facts: reassigning an
account changes no sales, yet the rep it was taken from must stop seeing its figures."""

import datetime
from decimal import Decimal

import pytest

from keyplan.accounts.models import Account
from tests.conftest import login
from tests.factories import SaleLineFactory

pytestmark = pytest.mark.django_db


def test_a_reassigned_account_leaves_the_reps_cached_pages_at_once(client, org):
    SaleLineFactory(account=org.mine, amount=Decimal(900), date=datetime.date(2025, 6, 1))
    login(client, org.rep)
    assert "Mine Group" in client.get("/territory/").content.decode()
    Account.objects.filter(pk__in=[org.mine.pk, org.mine_child.pk]).update(owner=org.other)
    page = client.get("/territory/").content.decode()
    assert "Mine Group" not in page
    client.logout()
    assert "Mine Group" in login(client, org.other).get("/territory/").content.decode()
