"""When no account the user can see matches the white-space page's choices (a rep who
picks another rep's name), the page says why it is empty and what to do, not only
"No accounts match." under figures of 0."""

import pytest
from django.contrib.auth import get_user_model

from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


def test_a_rep_choosing_another_reps_accounts_is_told_what_to_do(client, db):
    run_generate("--accounts", 40, "--seed", 3, "--no-plans")
    users = get_user_model().objects
    client.force_login(users.get(username="rep"))
    page = client.get("/territory/whitespace/", {"owner": "rep2"}).content.decode()
    assert 'data-testid="whitespace-empty"' in page
    assert "No account you can see matches these choices" in page
    assert "Widen them (Whole territory, Any tier, Any owner, Any industry, Every line)" in page
    assert 'data-testid="whitespace-table"' not in page
    own = client.get("/territory/whitespace/").content.decode()
    assert 'data-testid="whitespace-empty"' not in own
