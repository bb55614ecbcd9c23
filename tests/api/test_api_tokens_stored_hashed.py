"""API tokens are kept only as digests: the key is shown once, a copy of the database signs
no one in, and tokens issued before keyplan hashed them keep working."""

import datetime
import hashlib
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from keyplan.people.models import ApiToken

pytestmark = pytest.mark.django_db

migration = importlib.import_module("keyplan.people.migrations.0003_api_token_hashed")


def with_token(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def every_text_in_the_database() -> str:
    with connection.cursor() as cursor:
        texts = []
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            texts.extend(str(value) for row in cursor.fetchall() for value in row)
    return "\n".join(texts)


def test_the_database_never_holds_the_key(org):
    key = APIClient().post("/api/v1/auth/token/", {"username": "rep", "password": "pw"})
    key = key.json()["token"]
    assert len(key) >= 40
    assert key not in every_text_in_the_database()
    stored = ApiToken.objects.get(user=org.rep)
    assert stored.digest == hashlib.sha256(key.encode()).hexdigest()
    assert stored.prefix == key[:8]
    assert with_token(key).get("/api/v1/accounts/").status_code == 200


def test_the_stored_digest_does_not_sign_in(org):
    key = APIClient().post("/api/v1/auth/token/", {"username": "rep", "password": "pw"})
    stored = ApiToken.objects.get(user=org.rep)
    assert key.status_code == 200
    for leaked in (stored.digest, stored.prefix):
        refused = with_token(leaked).get("/api/v1/accounts/")
        assert refused.status_code == 401 and refused.json() == {"detail": "Invalid token."}


def test_a_key_sharing_the_prefix_but_not_the_rest_is_refused(org):
    key = APIClient().post("/api/v1/auth/token/", {"username": "rep", "password": "pw"})
    key = key.json()["token"]
    forged = key[:8] + ("A" if key[8] != "A" else "B") + key[9:]
    assert with_token(forged).get("/api/v1/accounts/").status_code == 401


class _Editor:
    """What the migration's function uses of a schema editor."""

    def __init__(self):
        self.connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def test_tokens_issued_before_hashing_keep_working_and_their_plaintext_is_gone(org):
    old_key = "f1662aee11a0b0ee22638d05d68d3df12ef557d5"
    issued = timezone.now() - datetime.timedelta(days=2)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, "
            "created timestamp with time zone)"
            if connection.vendor == "postgresql"
            else "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, "
            "created datetime)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token (key, user_id, created) VALUES (%s, %s, %s)",
            [old_key, org.rep.pk, issued],
        )
    migration.hash_old_tokens(apps, _Editor())

    assert "authtoken_token" not in connection.introspection.table_names()
    assert old_key not in every_text_in_the_database()
    token = ApiToken.objects.get(user=org.rep)
    assert abs(token.created - issued) < datetime.timedelta(seconds=1)
    assert with_token(old_key).get("/api/v1/accounts/").status_code == 200

    # The People page shows when it was issued, never the key.
    admin = Client()
    admin.force_login(org.ops)
    page = admin.get(f"/people/{org.rep.pk}/edit/").content.decode()
    assert "API token f1662aee… issued" in page and old_key not in page
