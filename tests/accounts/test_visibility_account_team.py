"""Being on an account's team (solution engineer, executive sponsor, ...) lets someone see
that account and everything under it, and nothing above or beside it; leaving the team
takes it away again. Their manager sees it through them."""

import pytest

from keyplan.accounts.models import Account, Contact
from keyplan.people.models import User
from tests.factories import AccountFactory, AccountTeamMemberFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_team_member_sees_the_account_and_below_it_only():
    owner = UserFactory()
    boss = UserFactory(role="manager")
    engineer = UserFactory(manager=boss)
    group = AccountFactory(name="Group", owner=owner)
    division = AccountFactory(name="Division", parent=group)
    plant = AccountFactory(name="Plant", parent=division)
    AccountFactory(name="Other Division", parent=group)
    contact = ContactFactory(account=plant)
    ContactFactory(account=group)
    assert not Account.objects.visible_to(engineer).exists()

    membership = AccountTeamMemberFactory(account=division, user=engineer, role="solution_engineer")

    assert set(Account.objects.visible_to(engineer)) == {division, plant}
    assert list(Contact.objects.visible_to(engineer)) == [contact]
    assert set(Account.objects.visible_to(boss)) == {division, plant}

    membership.delete()
    engineer = User.objects.get(pk=engineer.pk)  # as the next request loads them
    assert not Account.objects.visible_to(engineer).exists()
