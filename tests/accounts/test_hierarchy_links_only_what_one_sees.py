"""A rep sees their own account whose parent group is another rep's: the list and the
account page name the parent, but do not link to a page that would answer 404 (the load
test found reps following such links)."""

import re

import pytest

from tests.conftest import login
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_parent_or_child_one_cannot_open_is_named_not_linked(client):
    rep, other = UserFactory(), UserFactory()
    group = AccountFactory(name="Atlas Titan Stores", owner=other)
    mine = AccountFactory(name="Atlas Titan Stores Industrial", owner=rep, parent=group)
    theirs = AccountFactory(name="Atlas Titan Stores Plant 2", owner=other, parent=mine)
    login(client, rep)

    listing = client.get("/accounts/").content.decode()
    assert "Atlas Titan Stores</" in listing or "Atlas Titan Stores<" in listing
    assert f'href="/accounts/{group.pk}/"' not in listing
    assert f'href="/accounts/{mine.pk}/"' in listing

    page = client.get(f"/accounts/{mine.pk}/").content.decode()
    assert "Atlas Titan Stores" in page and "Atlas Titan Stores Plant 2" in page
    linked = {int(m) for m in re.findall(r'href="/accounts/(\d+)/"', page)}
    assert group.pk not in linked
    assert theirs.pk in linked  # below one's own account: visible, so linked
    for pk in linked:  # every account link on the page opens
        assert client.get(f"/accounts/{pk}/").status_code == 200

    # The owner of the group sees the whole hierarchy linked.
    login(client, other)
    page = client.get(f"/accounts/{theirs.pk}/").content.decode()
    assert f'href="/accounts/{group.pk}/"' in page
