"""``/healthz`` tells a load balancer or a container orchestrator whether this server can
answer: 200 when the database answers, 503 with a short reason when it does not. Probes
come over plain HTTP to an IP address, without signing in, so the endpoint answers where
every page would redirect to HTTPS or refuse the host; it reveals nothing else and leaves
no trace in the audit log."""

from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client, override_settings

from keyplan.audit.models import AuditEvent
from tests.operations.conftest import free_port, stop, wait_until_listening
from tests.operations.test_serve import get

pytestmark = pytest.mark.django_db

# As keyplan runs behind a proxy with KEYPLAN_HTTPS=1 and its public host name.
BEHIND_HTTPS_PROXY = {"ALLOWED_HOSTS": ["keyplan.example.com"], "SECURE_SSL_REDIRECT": True}


def test_healthz_answers_ok_without_signing_in():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    # No session, no cookie: a probe every few seconds leaves nothing behind.
    assert not response.cookies
    assert Client().head("/healthz").status_code == 200


@override_settings(**BEHIND_HTTPS_PROXY)
def test_a_probe_over_plain_http_to_an_address_is_answered():
    probe = Client(HTTP_HOST="10.0.0.7:8000")
    response = probe.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    # Every page still refuses that host, and sends plain HTTP to HTTPS.
    assert probe.get("/login/").status_code == 400
    redirect = Client(HTTP_HOST="keyplan.example.com").get("/login/")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://keyplan.example.com/login/"


def test_healthz_answers_503_with_a_short_reason_when_the_database_does_not_answer():
    failure = OperationalError('connection to server at "db.internal" (10.1.2.3) failed')
    with mock.patch.object(connection, "cursor", side_effect=failure):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "the database does not answer"}
    # The error itself (host names, addresses) stays in the server's log.
    assert b"10.1.2.3" not in response.content
    assert b"db.internal" not in response.content
    # Once the database answers again, so does the endpoint.
    assert Client().get("/healthz").status_code == 200


def test_healthz_only_reads():
    assert Client().post("/healthz").status_code == 405


def test_probes_leave_no_trace_in_the_audit_log():
    before = AuditEvent.objects.count()
    for _ in range(3):
        Client().get("/healthz")
    assert AuditEvent.objects.count() == before


def test_keyplan_serve_answers_a_probe_behind_an_https_proxy(installation, tmp_path):
    """The real server with KEYPLAN_HTTPS on and only its public host name allowed: a
    probe over plain HTTP to 127.0.0.1 gets 200, a page gets refused."""
    port = free_port()
    log = tmp_path / "serve.log"
    server = installation.start(
        "serve",
        log=log,
        KEYPLAN_BIND=f"127.0.0.1:{port}",
        KEYPLAN_WEB_WORKERS="1",
        KEYPLAN_HTTPS="1",
        KEYPLAN_ALLOWED_HOSTS="keyplan.example.com",
    )
    try:
        wait_until_listening(port, server, log)
        status, content_type, body = get(f"http://127.0.0.1:{port}/healthz")
        assert (status, content_type, body) == (200, "application/json", b'{"status": "ok"}')
        status, _, _ = get(f"http://127.0.0.1:{port}/login/")
        assert status == 400
    finally:
        stop(server)
