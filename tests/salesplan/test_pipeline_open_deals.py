"""The pipeline math's open deals per rep are read through the reps' accounts (a subquery
the database answers from the (account, status, close date) index), not by joining every
open deal of the territory to the accounts: at 100,000 accounts SQLite chose the status
index and read every open deal (0.15 s on each territory plan page)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyplan.salesplan.pipeline import rep_needs
from tests.salesplan import test_rollups
from tests.salesplan.test_rollups import FY, TODAY

territory = test_rollups.territory
pytestmark = pytest.mark.django_db
M = Decimal


def test_open_deals_per_rep_through_their_accounts(territory):
    t = territory
    with CaptureQueriesContext(connection) as queries:
        needs = rep_needs([t.ann, t.ben, t.cat], FY, today=TODAY)
    # Ann: Acme 600,000 and Beta 200,000 open, closing in FY 2027 (Acme's 5,000,000 closes
    # in FY 2028: not counted); Ben: Cargo 1,500,000; Cat: Delta 100,000.
    assert {t.ann.pk: M(800_000), t.ben.pk: M(1_500_000), t.cat.pk: M(100_000)} == {
        pk: need.have_amount for pk, need in needs.items()
    }
    open_deals = [
        q["sql"]
        for q in queries
        if 'FROM "sales_opportunity"' in q["sql"] and "'open'" in q["sql"] and "COUNT" in q["sql"]
    ]
    assert len(open_deals) == 1
    assert '"sales_opportunity"."account_id" IN (SELECT' in open_deals[0]
