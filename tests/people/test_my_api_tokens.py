"""A person sees their own API tokens on /me/api-tokens/ (linked from /me/): each by its
first 8 characters and name, when made, last used and when it expires — dates in the
installation's format with how long ago or ahead in words. They make a new one, whose key
is shown once, and revoke one after a confirmation. Nobody sees or revokes another
person's tokens (404, as for a token that does not exist)."""

import datetime
import re

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from keyplan.people.choices import Role
from keyplan.people.models import ApiToken
from keyplan.people.tokens import TOKENS_KEPT, token_digest, token_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def make(client, name=""):
    """Make a token through the form, and follow to the page that shows its key."""
    response = client.post("/me/api-tokens/new/", {"name": name})
    assert (response.status_code, response["Location"]) == (302, "/me/api-tokens/")
    response = client.get("/me/api-tokens/")
    assert response.status_code == 200
    return response


def key_of(response) -> str:
    found = re.search(r'data-testid="new-key"[^>]*>([^<]+)</textarea>', response.content.decode())
    return found.group(1)


def test_settings_link_to_the_tokens_page_which_says_how_long_they_last(client, org, settings):
    settings.KEYPLAN_API_TOKEN_DAYS = 45
    client.force_login(org.rep)
    page = text(client.get("/me/"))
    assert "You have no API token." in page and 'href="/me/api-tokens/"' in page
    page = text(client.get("/me/api-tokens/"))
    assert "Each works for 45 days after it is made (set by your administrator)" in page
    assert "KEYPLAN_API_TOKEN_DAYS" not in page  # a rep reads who sets it, not its name
    assert "You have no API token." in page
    client.force_login(UserFactory(username="admin", role=Role.ADMIN))
    page = text(client.get("/me/api-tokens/"))
    assert "(the installation's setting <code>KEYPLAN_API_TOKEN_DAYS</code>)" in page


def test_a_new_token_shows_its_key_once_and_the_key_signs_in(client, org):
    client.force_login(org.rep)
    response = make(client, "Nightly CRM sync")
    assert response["Cache-Control"] == "private, no-store"
    page = text(response)
    assert "it is shown this once and will not be shown again" in page
    key = key_of(response)
    token = ApiToken.objects.get(user=org.rep)
    assert token.digest == token_digest(key) and token.name == "Nightly CRM sync"

    listed = text(client.get("/me/api-tokens/"))
    assert key not in listed, "the key is never shown again"
    assert f"{key[:8]}…" in listed and "Nightly CRM sync" in listed
    assert "never used" in listed

    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/accounts/").status_code == 200
    assert "1 API token." in text(client.get("/me/"))


def test_the_list_gives_dates_in_the_installation_format_and_in_words(client, org):
    client.force_login(org.rep)
    token, key = token_issue(user=org.rep, name="Reports")
    made = timezone.now() - datetime.timedelta(days=3)
    ApiToken.objects.filter(pk=token.pk).update(created=made)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api.get("/api/v1/accounts/")
    token.refresh_from_db()
    assert abs(token.last_used - timezone.now()) < datetime.timedelta(minutes=1)

    page = text(client.get("/me/api-tokens/"))
    made_local = timezone.localtime(made).strftime("%Y-%m-%d %H:%M")
    expires_local = timezone.localtime(made + datetime.timedelta(days=30))
    assert f"Made {made_local} (3 days ago)" in page
    assert "last used " in page and "(just now)" in page
    assert f"expires {expires_local:%Y-%m-%d %H:%M} (in 3 weeks, 5 days)" in page


def test_last_use_is_stamped_at_most_once_a_minute(org):
    token, key = token_issue(user=org.rep)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    api.get("/api/v1/accounts/")
    first = ApiToken.objects.get(pk=token.pk).last_used
    api.get("/api/v1/accounts/")
    assert ApiToken.objects.get(pk=token.pk).last_used == first
    earlier = first - datetime.timedelta(minutes=2)
    ApiToken.objects.filter(pk=token.pk).update(last_used=earlier)
    api.get("/api/v1/accounts/")
    assert ApiToken.objects.get(pk=token.pk).last_used > first


def test_an_expired_token_is_listed_as_expired(client, org):
    client.force_login(org.rep)
    token, _key = token_issue(user=org.rep)
    ApiToken.objects.filter(pk=token.pk).update(
        created=timezone.now() - datetime.timedelta(days=32)
    )
    page = text(client.get("/me/api-tokens/"))
    assert "expired: it no longer signs in" in page and "(2 days ago)" in page


def test_revoking_asks_first_in_words_then_the_token_no_longer_signs_in(client, org):
    client.force_login(org.rep)
    token, key = token_issue(user=org.rep, name="Old laptop")
    page = text(client.get(f"/me/api-tokens/{token.pk}/revoke/"))
    assert f"Revoke API token {token.prefix}… (“Old laptop”)?" in page
    assert "is refused from the moment you revoke it" in page
    assert ApiToken.objects.filter(pk=token.pk).exists(), "asking changes nothing"

    response = client.post(f"/me/api-tokens/{token.pk}/revoke/", follow=True)
    assert response.redirect_chain[-1][0] == "/me/api-tokens/"
    assert f"API token {token.prefix}… (“Old laptop”) revoked" in text(response)
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/accounts/").status_code == 401


def test_another_persons_token_is_not_found_and_stays(client, org):
    theirs, key = token_issue(user=org.rep2, name="Their script")
    client.force_login(org.rep)
    assert client.get(f"/me/api-tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/me/api-tokens/{theirs.pk}/revoke/").status_code == 404
    page = text(client.get("/me/api-tokens/"))
    assert "Their script" not in page and theirs.prefix not in page
    # Not even an administrator revokes someone's single token here (they end all of a
    # person's tokens on the People page).
    client.force_login(org.ops)
    assert client.post(f"/me/api-tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_revoking_needs_a_csrf_token(org):
    from django.test import Client

    token, _key = token_issue(user=org.rep)
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.rep)
    assert client.post(f"/me/api-tokens/{token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_a_name_too_long_is_refused_and_no_token_made(client, org):
    client.force_login(org.rep)
    response = client.post("/me/api-tokens/new/", {"name": "x" * 101})
    assert response.status_code == 400
    assert "Ensure this value has at most 100 characters" in text(response)
    assert not ApiToken.objects.exists()
    assert 'data-testid="new-key"' not in text(response)


def test_at_the_cap_the_page_says_which_token_a_new_one_ends(client, org):
    client.force_login(org.rep)
    oldest = None
    for number in range(TOKENS_KEPT):
        token, _key = token_issue(user=org.rep, name=f"Script {number}")
        ApiToken.objects.filter(pk=token.pk).update(
            created=timezone.now() - datetime.timedelta(hours=TOKENS_KEPT - number)
        )
        oldest = oldest or token
    page = text(client.get("/me/api-tokens/"))
    assert f"a new one ends your oldest, {oldest.prefix}… (“Script 0”)" in page
    make(client, "Script 10")
    assert not ApiToken.objects.filter(pk=oldest.pk).exists()
    assert ApiToken.objects.filter(user=org.rep).count() == TOKENS_KEPT
