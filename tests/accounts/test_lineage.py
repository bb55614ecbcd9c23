"""The hierarchy's closure table, which visibility reads, follows every change."""

import pytest
from django.core.exceptions import ValidationError

from keyplan.accounts.models import Account, AccountLineage
from keyplan.accounts.services import account_update, lineage_rebuild
from keyplan.people.choices import Role
from tests.factories import AccountFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def rows():
    return sorted(AccountLineage.objects.values_list("ancestor_id", "descendant_id", "depth"))


def test_four_levels_have_their_ancestors_and_depths():
    group = AccountFactory(name="Group")
    unit = AccountFactory(name="Unit", parent=group, kind="business_unit")
    division = AccountFactory(name="Division", parent=unit, kind="division")
    centre = AccountFactory(name="Centre", parent=division, kind="budget_centre")
    assert [a.depth for a in (group, unit, division, centre)] == [0, 1, 2, 3]
    ancestors = AccountLineage.objects.filter(descendant=centre).order_by("depth")
    assert [(r.ancestor.name, r.depth) for r in ancestors] == [
        ("Centre", 0),
        ("Division", 1),
        ("Unit", 2),
        ("Group", 3),
    ]


def test_moving_a_subtree_moves_who_sees_it():
    alice, bob = UserFactory(), UserFactory()
    old, new = AccountFactory(owner=alice), AccountFactory(owner=bob)
    moved = AccountFactory(parent=old)
    leaf = AccountFactory(parent=moved)
    assert leaf in Account.objects.visible_to(alice)
    account_update(account=moved, parent=new)
    assert leaf not in Account.objects.visible_to(alice)
    assert leaf in Account.objects.visible_to(bob)
    leaf.refresh_from_db()
    assert leaf.depth == 2


def test_a_cycle_is_refused_and_changes_nothing():
    top = AccountFactory()
    child = AccountFactory(parent=top)
    before = rows()
    with pytest.raises(ValidationError) as err:
        account_update(account=top, parent=child)
    assert "parent" in err.value.message_dict
    top.refresh_from_db()
    assert top.parent is None and rows() == before


def test_rebuild_from_scratch_equals_the_incremental_path():
    a = AccountFactory()
    b = AccountFactory(parent=a)
    c = AccountFactory(parent=b)
    d = AccountFactory()
    account_update(account=c, parent=d)
    AccountFactory(parent=c)
    incremental = rows()
    lineage_rebuild()
    assert rows() == incremental


def test_manager_sees_reports_through_team_and_through_manager_link():
    boss = UserFactory(role=Role.MANAGER)
    by_team = UserFactory(team=TeamFactory(manager=boss))
    by_link = UserFactory(manager=boss)
    stranger = UserFactory()
    accounts = [AccountFactory(owner=u) for u in (by_team, by_link, stranger)]
    seen = set(Account.objects.visible_to(boss))
    assert accounts[0] in seen and accounts[1] in seen and accounts[2] not in seen


def test_inactive_users_see_nothing():
    user = UserFactory(is_active=False)
    AccountFactory(owner=user)
    assert Account.objects.visible_to(user).count() == 0
