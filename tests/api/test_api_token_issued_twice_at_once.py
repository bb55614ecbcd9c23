"""One person asking for a token twice at the same instant (two scripts starting together)
gets two working tokens, never a 500. Each request issues its own token, so there is no
"does the person have one yet?" read for a second request to race past; the test forces
the second request into the first one's gap (between its checks and its write), which no
database lock would do on SQLite, where ``select_for_update`` is a no-op."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from keyplan.people.models import ApiToken
from keyplan.people.tokens import token_digest

pytestmark = pytest.mark.django_db


def ask(username="rep", password="pw"):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password})


def works(token) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/v1/accounts/").status_code == 200


def test_a_second_request_inside_the_first_gets_its_own_token_and_neither_fails(org):
    real_create = ApiToken.objects.create
    inner = []
    started = []

    def another_request_first(**fields):
        if not started:
            started.append(True)
            inner.append(ask())  # the second request runs to its end in the first's gap
        return real_create(**fields)

    with mock.patch.object(ApiToken.objects, "create", side_effect=another_request_first):
        outer = ask()

    assert inner[0].status_code == 200 and outer.status_code == 200
    first, second = inner[0].json()["token"], outer.json()["token"]
    assert first != second
    assert works(first) and works(second)
    assert ApiToken.objects.filter(user=org.rep).count() == 2


def test_expired_tokens_are_cleared_when_a_new_one_is_issued_without_touching_valid_ones(
    org, settings
):
    kept = ask().json()["token"]
    old = ask().json()["token"]
    ApiToken.objects.filter(digest=token_digest(old)).update(
        created=timezone.now() - datetime.timedelta(days=settings.KEYPLAN_API_TOKEN_DAYS + 1)
    )
    fresh = ask().json()["token"]
    assert works(kept) and works(fresh) and not works(old)
    assert ApiToken.objects.filter(user=org.rep).count() == 2


def test_a_person_keeps_at_most_ten_tokens_the_oldest_ends_first(org):
    tokens = [ask().json()["token"] for _ in range(11)]
    assert ApiToken.objects.filter(user=org.rep).count() == 10
    assert not works(tokens[0])
    assert works(tokens[1]) and works(tokens[-1])
