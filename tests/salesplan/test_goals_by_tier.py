"""By tier, the account goals are grouped through the same live account → tier mapping as
won, forecast and pipeline (``period_arrays.account_keys`` / ``goal_sums``): each tier's
goals are the sum of its drill-down list, to the cent, for a leader who sees everything
and for a manager who sees part of the territory; an account without a tier lands in
"No tier"; a tier accepted shows at once; and no query joins the goals to the accounts."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyplan.salesplan.models import AccountGoal
from keyplan.salesplan.rollups import rollup, rollup_drill
from keyplan.territory.models import AccountTier
from tests.factories import AccountFactory
from tests.salesplan import test_rollups
from tests.salesplan.test_rollups import FY, TODAY

territory = test_rollups.territory
pytestmark = pytest.mark.django_db
M = Decimal


def _goals(user):
    r = rollup(user=user, period=FY, by="tier", today=TODAY)
    return {row.label: row.goals for row in r.rows}, r.total.goals


def _drill_total(user, label):
    r = rollup(user=user, period=FY, by="tier", today=TODAY)
    key = next(row.key for row in r.rows if row.label == label)
    drill = rollup_drill(user=user, period=FY, by="tier", key=key, measure="goals", today=TODAY)
    return sum((x.amount for x in drill.lines), M(0))


def test_goals_by_tier_to_the_cent_for_everyone_and_for_a_manager(territory):
    t = territory
    untiered = AccountFactory(name="Echo", owner=t.cat)
    AccountGoal.objects.create(account=untiered, rep=t.cat, fiscal_year=2027, amount=M("1234.56"))
    AccountGoal.objects.filter(account=t.beta, fiscal_year=2027).update(amount=M("500000.07"))
    # Another year's goals and a quarter's are not the year's.
    AccountGoal.objects.create(account=t.acme, rep=t.ann, fiscal_year=2026, amount=M(9_999))
    AccountGoal.objects.create(
        account=t.cargo, rep=t.ben, fiscal_year=2027, quarter=2, amount=M(7_777)
    )

    rows, total = _goals(t.exec)
    assert rows == {
        "Tier A": M(1_600_000),
        "Tier B": M("500000.07"),
        "Tier C": M(800_000),
        "No tier": M("1234.56"),
    }
    assert total == M("2901234.63")
    for label, figure in rows.items():
        assert figure == _drill_total(t.exec, label), label

    # The North manager sees Ann's and Ben's accounts only: Delta (C) and Echo are South's.
    rows, _ = _goals(t.m1)
    assert rows == {"Tier A": M(1_600_000), "Tier B": M("500000.07"), "Tier C": 0}
    for label, figure in rows.items():
        assert figure == _drill_total(t.m1, label), label


def test_a_tier_accepted_moves_the_goal_at_once(territory):
    t = territory
    AccountTier.objects.filter(account=t.beta).update(tier="A")
    rows, _ = _goals(t.exec)
    assert rows["Tier A"] == M(2_100_000)
    assert rows["Tier B"] == 0


def test_no_query_joins_the_goals_to_the_accounts(territory):
    t = territory
    with CaptureQueriesContext(connection) as queries:
        rollup(user=t.exec, period=FY, by="tier", today=TODAY)
    goal_queries = [q["sql"] for q in queries if "salesplan_accountgoal" in q["sql"]]
    assert len(goal_queries) == 1
    assert "accounts_account" not in goal_queries[0]
