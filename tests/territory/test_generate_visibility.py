"""The generated territory is split between reps: a rep sees part of it, their manager
the team's part, an executive all of it (the lineage closure is built after loading)."""

import pytest

from keyplan.accounts.models import Account, Contact
from keyplan.people.models import User
from keyplan.sales.models import SaleLine

pytestmark = pytest.mark.django_db


def test_a_rep_sees_part_a_manager_the_team_an_executive_everything(generated):
    rep, manager, executive = (
        User.objects.get(username=name) for name in ("rep", "manager", "exec")
    )
    total = Account.objects.count()
    seen_by_rep = Account.objects.visible_to(rep).count()
    seen_by_manager = Account.objects.visible_to(manager).count()
    assert 0 < seen_by_rep < seen_by_manager < total
    assert Account.objects.visible_to(executive).count() == total
    # A rep sees the whole hierarchy under the groups they own, not only their own rows.
    owned_groups = Account.objects.filter(owner=rep, parent__isnull=True, children__isnull=False)
    for group in owned_groups:
        below = Account.objects.filter(parent=group)
        assert below.count() == below.filter(pk__in=Account.objects.visible_to(rep)).count()
    # What belongs to accounts follows them.
    assert 0 < Contact.objects.visible_to(rep).count() < Contact.objects.count()
    assert 0 < SaleLine.objects.visible_to(rep).count() < SaleLine.objects.count()
