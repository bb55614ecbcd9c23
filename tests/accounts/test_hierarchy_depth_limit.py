"""Hierarchies are at most MAX_DEPTH levels below their top, whether an account is created
at the bottom or a whole subtree is moved under a deep account; a refused move says so on
the edit page and changes nothing. (A move that went through would leave a hierarchy that
``lineage_rebuild``, run by every import, refuses.)"""

import pytest
from django.core.exceptions import ValidationError

from keyplan.accounts.models import Account, AccountLineage
from keyplan.accounts.services import MAX_DEPTH, account_create, account_update, lineage_rebuild
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def chain(levels, prefix, owner=None):
    accounts = [account_create(name=f"{prefix} 0", owner=owner)]
    for i in range(1, levels):
        accounts.append(account_create(name=f"{prefix} {i}", parent=accounts[-1]))
    return accounts


def snapshot():
    return (
        set(AccountLineage.objects.values_list("ancestor", "descendant", "depth")),
        set(Account.objects.values_list("pk", "parent", "depth")),
    )


def test_creating_below_the_deepest_level_is_refused():
    deep = chain(MAX_DEPTH + 1, "Deep")  # depths 0 .. MAX_DEPTH
    assert deep[-1].depth == MAX_DEPTH
    with pytest.raises(ValidationError) as refused:
        account_create(name="Too deep", parent=deep[-1])
    assert f"deeper than {MAX_DEPTH} levels" in refused.value.message_dict["parent"][0]
    assert not Account.objects.filter(name="Too deep").exists()


def test_moving_a_subtree_that_would_end_too_deep_is_refused():
    deep = chain(MAX_DEPTH - 2, "Deep")  # the last one at depth MAX_DEPTH - 3
    subtree = chain(3, "Sub")
    account_update(account=subtree[0], parent=deep[-2])  # its bottom lands at MAX_DEPTH - 1
    account_update(account=subtree[0], parent=deep[-1])  # ... and at MAX_DEPTH: still allowed
    account_update(account=subtree[0], parent=None)
    subtree.append(account_create(name="Sub 3", parent=subtree[-1]))
    before = snapshot()

    with pytest.raises(ValidationError) as refused:
        account_update(account=subtree[0], parent=deep[-1])  # bottom would be MAX_DEPTH + 1

    assert f"deeper than {MAX_DEPTH} levels" in refused.value.message_dict["parent"][0]
    assert snapshot() == before
    lineage_rebuild()  # what imports run: the hierarchy is still one it accepts
    assert snapshot() == before


def test_the_edit_page_shows_the_refusal_on_the_parent_field(client):
    ops = UserFactory(role="sales_ops")
    deep = chain(MAX_DEPTH, "Deep")  # the last one at depth MAX_DEPTH - 1
    subtree = chain(2, "Sub")
    before = snapshot()
    client.force_login(ops)
    response = client.post(
        f"/accounts/{subtree[0].pk}/edit/",
        # The form as loaded carries the account's version (issue 14).
        {"name": "Sub 0", "kind": "legal_entity", "parent": deep[-1].name, "version": 1},
    )
    assert response.status_code == 200  # the form again, not a redirect to the account
    errors = response.context["form"].errors
    assert list(errors) == ["parent"]
    assert f"deeper than {MAX_DEPTH} levels" in errors["parent"][0]
    assert snapshot() == before
