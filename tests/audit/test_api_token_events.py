"""Making and revoking API tokens is a permission-relevant change: the audit log says who
made or revoked which token (its first characters and name, never the key), including the
token a new one ended and the tokens a password change ended."""

import pytest

from keyplan.audit.models import AuditEvent
from keyplan.people.choices import Role
from keyplan.people.models import ApiToken
from keyplan.people.tokens import TOKENS_KEPT, token_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_made_revoked_and_ended_tokens_are_in_the_audit_log(client, org):
    org.rep.first_name, org.rep.last_name = "Amir", "Becker"
    org.rep.save()
    client.force_login(org.rep)
    client.post("/me/api-tokens/new/", {"name": "Nightly sync"})
    page = client.get("/me/api-tokens/").content.decode()
    key = page.split('data-testid="new-key"')[1].split(">")[1].split("<")[0]
    (made,) = events("api_token_made")
    assert made.username == "rep" and made.object_label == str(org.rep)
    assert made.summary == f"API token {key[:8]}… (“Nightly sync”) made for Amir Becker."
    assert key not in made.summary

    token = ApiToken.objects.get(user=org.rep)
    client.post(f"/me/api-tokens/{token.pk}/revoke/")
    (revoked,) = events("api_token_revoked")
    assert revoked.summary == f"API token {key[:8]}… (“Nightly sync”) of Amir Becker revoked."

    first, _ = token_issue(user=org.rep)
    for _ in range(TOKENS_KEPT):
        token_issue(user=org.rep)
    assert f"It ended the oldest, {first.prefix}… (at most {TOKENS_KEPT} are kept)." in (
        events("api_token_made")[-1].summary
    )

    org.rep.set_password("a new long passphrase 42")
    org.rep.save()
    assert events("api_token_revoked")[-1].summary.startswith("API tokens ")
    assert events("api_token_revoked")[-1].summary.endswith(" of Amir Becker revoked.")


def test_the_audit_log_page_names_the_token_actions_in_words(client, org):
    token_issue(user=org.rep, name="CRM bridge")
    client.force_login(UserFactory(username="admin", role=Role.ADMIN))
    page = client.get("/audit-log/").content.decode()
    assert "API token made" in page and "api_token_made" not in page.replace(
        'value="api_token_made"', ""
    )
