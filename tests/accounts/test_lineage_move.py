"""Moving an account to another parent moves its whole subtree: the closure table and the
depths follow, and so does who sees it (the old parent's owner loses it, the new one's
gains it)."""

from types import SimpleNamespace

import pytest

from keyplan.accounts.models import Account, AccountLineage
from keyplan.accounts.services import account_create, account_update, lineage_rebuild
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def ancestors(account):
    rows = AccountLineage.objects.filter(descendant=account).order_by("depth")
    return [(row.ancestor.name, row.depth) for row in rows]


def depths(*accounts):
    return dict(
        Account.objects.filter(pk__in=[a.pk for a in accounts]).values_list("name", "depth")
    )


@pytest.fixture
def f():
    """Old Parent > Moved > Leaf > Bud, owned by alice at the top;
    New Top (carol) > New Parent (bob)."""
    o = SimpleNamespace(alice=UserFactory(), bob=UserFactory(), carol=UserFactory())
    o.old = account_create(name="Old Parent", owner=o.alice)
    o.top = account_create(name="New Top", owner=o.carol)
    o.new = account_create(name="New Parent", parent=o.top, owner=o.bob)
    o.moved = account_create(name="Moved", parent=o.old)
    o.leaf = account_create(name="Leaf", parent=o.moved)
    o.bud = account_create(name="Bud", parent=o.leaf)
    return o


def test_moving_a_subtree_moves_lineage_depth_and_visibility(f):
    subtree = {f.moved, f.leaf, f.bud}
    assert subtree <= set(Account.objects.visible_to(f.alice))
    assert not subtree & set(Account.objects.visible_to(f.bob))

    account_update(account=f.moved, parent=f.new)

    assert ancestors(f.bud) == [
        ("Bud", 0),
        ("Leaf", 1),
        ("Moved", 2),
        ("New Parent", 3),
        ("New Top", 4),
    ]
    assert depths(*subtree) == {"Moved": 2, "Leaf": 3, "Bud": 4}
    assert not AccountLineage.objects.filter(ancestor=f.old, depth__gt=0).exists()
    assert set(Account.objects.visible_to(f.alice)) == {f.old}
    assert set(Account.objects.visible_to(f.bob)) == {f.new} | subtree
    assert subtree <= set(Account.objects.visible_to(f.carol))  # the new parent's parent too


def test_moving_to_the_top_of_a_hierarchy_detaches_it(f):
    account_update(account=f.leaf, parent=None)
    assert ancestors(f.bud) == [("Bud", 0), ("Leaf", 1)]
    assert depths(f.leaf, f.bud) == {"Leaf": 0, "Bud": 1}
    assert set(Account.objects.visible_to(f.alice)) == {f.old, f.moved}


def test_an_out_of_date_copy_still_moves_the_subtree_right(f):
    """Copies read before someone else changed the hierarchy above them (another request,
    a script): the move is computed from what is stored, not from the copies."""
    stale_leaf = Account.objects.get(pk=f.leaf.pk)  # depth 2, under Moved
    stale_new = Account.objects.get(pk=f.new.pk)  # depth 1
    account_update(account=Account.objects.get(pk=f.moved.pk), parent=None)  # Leaf: depth 1
    account_update(account=Account.objects.get(pk=f.top.pk), parent=f.old)  # New Parent: 2

    account_update(account=stale_leaf, parent=stale_new)

    assert ancestors(f.bud) == [
        ("Bud", 0),
        ("Leaf", 1),
        ("New Parent", 2),
        ("New Top", 3),
        ("Old Parent", 4),
    ]
    assert depths(f.old, f.top, f.new, f.leaf, f.bud, f.moved) == {
        "Old Parent": 0,
        "New Top": 1,
        "New Parent": 2,
        "Leaf": 3,
        "Bud": 4,
        "Moved": 0,
    }
    assert {f.leaf, f.bud} <= set(Account.objects.visible_to(f.alice))
    closure = set(AccountLineage.objects.values_list("ancestor", "descendant", "depth"))
    lineage_rebuild()
    assert set(AccountLineage.objects.values_list("ancestor", "descendant", "depth")) == closure
    assert depths(f.leaf, f.bud) == {"Leaf": 3, "Bud": 4}
