"""``lineage_rebuild`` (run after bulk loads: imports, the generator) recomputes from the
parent links exactly what the incremental path (``account_create``, ``account_update``)
keeps: the same closure rows, the same depths, so visibility is the same either way."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyplan.accounts.models import Account, AccountLineage
from keyplan.accounts.services import account_create, account_update, lineage_rebuild

pytestmark = pytest.mark.django_db


def stored():
    return (
        sorted(AccountLineage.objects.values_list("ancestor", "descendant", "depth")),
        sorted(Account.objects.values_list("pk", "depth")),
    )


def expected(parents):
    """The closure and depths that the parent links imply, computed here by hand."""
    rows, depths = [], []
    for pk in parents:
        node, distance = pk, 0
        while node is not None:
            rows.append((node, pk, distance))
            node, distance = parents[node], distance + 1
        depths.append((pk, distance - 1))
    return sorted(rows), sorted(depths)


def test_rebuild_from_scratch_equals_the_incremental_path():
    a = account_create(name="A")
    b = account_create(name="B", parent=a)
    c = account_create(name="C", parent=b)
    d = account_create(name="D")
    account_update(account=c, parent=d)
    account_create(name="E", parent=c)
    account_update(account=b, parent=None)
    account_update(account=d, parent=b)
    incremental = stored()
    assert incremental == expected(dict(Account.objects.values_list("pk", "parent")))

    AccountLineage.objects.all().delete()
    Account.objects.update(depth=0)
    written = lineage_rebuild()

    assert stored() == incremental
    assert written == len(incremental[0]) == 1 + (1 + 2 + 3 + 4)  # A alone; B > D > C > E


# Each step either creates an account (under one of those made so far, or at the top) or
# moves one (under another, or to the top); moves into its own subtree must be refused.
steps = st.lists(
    st.tuples(st.booleans(), st.integers(0, 9), st.one_of(st.none(), st.integers(0, 9))),
    min_size=1,
    max_size=30,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
def test_any_sequence_of_creates_and_moves_rebuilds_to_the_same_rows(db, steps):
    with transaction.atomic():
        accounts, parents = [], {}
        for create, target, parent_index in steps:
            parent = accounts[parent_index % len(accounts)] if accounts and parent_index else None
            if create or not accounts:
                account = account_create(name=f"A{len(accounts)}", parent=parent)
                accounts.append(account)
                parents[account.pk] = parent.pk if parent else None
                continue
            account = accounts[target % len(accounts)]
            cycle = parent is not None and is_under(parent.pk, account.pk, parents)
            try:
                account_update(account=account, parent=parent)
            except ValidationError:
                assert cycle, "a move that makes no cycle was refused"
            else:
                assert not cycle, "a cycle was accepted"
                parents[account.pk] = parent.pk if parent else None
        incremental = stored()
        assert incremental == expected(parents)
        lineage_rebuild()
        assert stored() == incremental
        transaction.set_rollback(True)


def is_under(node, ancestor, parents):
    while node is not None:
        if node == ancestor:
            return True
        node = parents[node]
    return False
