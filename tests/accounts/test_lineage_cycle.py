"""An account cannot be put under itself or under anything below it: the move is refused
with an error on ``parent`` (the field the API and the edit page report it on) and
nothing changes, not even the other fields sent with it."""

import pytest
from django.core.exceptions import ValidationError

from keyplan.accounts.models import Account, AccountLineage
from keyplan.accounts.services import account_create, account_update

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        set(AccountLineage.objects.values_list("ancestor", "descendant", "depth")),
        set(Account.objects.values_list("pk", "name", "parent", "depth")),
    )


@pytest.mark.parametrize("under", ["itself", "child", "grandchild"])
def test_a_cycle_is_refused_and_changes_nothing(under):
    top = account_create(name="Top")
    child = account_create(name="Child", parent=top)
    grandchild = account_create(name="Grandchild", parent=child)
    target = {"itself": top, "child": child, "grandchild": grandchild}[under]
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        account_update(account=Account.objects.get(pk=top.pk), parent=target, name="Renamed")

    assert list(refused.value.message_dict) == ["parent"]
    assert "cycle" in refused.value.message_dict["parent"][0]
    assert snapshot() == before
