"""Creating a customer hierarchy fills the closure table that visibility reads: one row
per (ancestor, descendant) pair with the distance between them, and nothing else."""

import pytest

from keyplan.accounts.choices import AccountKind
from keyplan.accounts.models import Account, AccountLineage
from keyplan.accounts.services import account_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def lineage_by_name():
    return set(AccountLineage.objects.values_list("ancestor__name", "descendant__name", "depth"))


@pytest.fixture
def hierarchy():
    """Group > Unit > Division > Centre, with a second division beside the first."""
    group = account_create(name="Group", kind=AccountKind.LEGAL_ENTITY)
    unit = account_create(name="Unit", parent=group, kind=AccountKind.BUSINESS_UNIT)
    division = account_create(name="Division", parent=unit, kind=AccountKind.DIVISION)
    centre = account_create(name="Centre", parent=division, kind=AccountKind.BUDGET_CENTRE)
    sibling = account_create(name="Sibling", parent=unit, kind=AccountKind.DIVISION)
    return group, unit, division, centre, sibling


def test_four_levels_have_one_row_per_ancestor_with_its_distance(hierarchy):
    assert lineage_by_name() == {
        ("Group", "Group", 0),
        ("Unit", "Unit", 0),
        ("Group", "Unit", 1),
        ("Division", "Division", 0),
        ("Unit", "Division", 1),
        ("Group", "Division", 2),
        ("Centre", "Centre", 0),
        ("Division", "Centre", 1),
        ("Unit", "Centre", 2),
        ("Group", "Centre", 3),
        ("Sibling", "Sibling", 0),
        ("Unit", "Sibling", 1),
        ("Group", "Sibling", 2),
    }
    stored = dict(Account.objects.values_list("name", "depth"))
    assert stored == {"Group": 0, "Unit": 1, "Division": 2, "Centre": 3, "Sibling": 2}
    assert [a.depth for a in hierarchy] == [0, 1, 2, 3, 2]


def test_owner_of_a_middle_level_sees_everything_below_it_and_nothing_above(hierarchy):
    group, _, division, centre, sibling = hierarchy
    rep = UserFactory()
    Account.objects.filter(pk=division.pk).update(owner=rep)
    assert set(Account.objects.visible_to(rep)) == {division, centre}
    assert group not in Account.objects.visible_to(rep)
    assert sibling not in Account.objects.visible_to(rep)
