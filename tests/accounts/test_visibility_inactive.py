"""A deactivated user sees nothing, whatever their role and whatever they own; what they
owned stays visible to their manager until it is handed over."""

import pytest

from keyplan.accounts.models import Account, Contact
from keyplan.people.choices import Role
from keyplan.people.models import User
from keyplan.sales.models import SaleLine
from tests.factories import AccountFactory, ContactFactory, SaleLineFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
def test_an_inactive_user_sees_nothing(role):
    boss = UserFactory(role=Role.MANAGER)
    leaver = UserFactory(role=role, manager=boss)
    UserFactory(manager=leaver)
    account = AccountFactory(owner=leaver)
    AccountFactory(parent=account)
    ContactFactory(account=account)
    SaleLineFactory(account=account)
    assert Account.objects.visible_to(leaver).exists()  # while still active

    leaver.is_active = False
    leaver.save()
    leaver = User.objects.get(pk=leaver.pk)  # as the next request loads them

    assert not Account.objects.visible_to(leaver).exists()
    assert not Contact.objects.visible_to(leaver).exists()
    assert not SaleLine.objects.visible_to(leaver).exists()
    assert Account.objects.visible_to(boss).count() == 2
