"""What a rep sees in the browser: their accounts, and a plain 404 for anyone else's."""

import pytest

from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rep_sees_only_their_accounts_and_404_for_others(page, live_server):
    rep = UserFactory(username="rita")
    other = UserFactory(username="otto")
    AccountFactory(name="Rita Corp", owner=rep)
    hidden = AccountFactory(name="Otto Corp", owner=other)
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/accounts/")
    rows = page.locator("#results tbody tr").all_inner_texts()
    assert len(rows) == 1 and "Rita Corp" in rows[0]
    response = page.goto(f"{live_server.url}/accounts/{hidden.pk}/")
    assert response.status == 404
    assert "not visible to you" in page.inner_text("main")
    assert "Otto Corp" not in page.content()
