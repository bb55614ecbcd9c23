"""Every response carries a strict Content-Security-Policy and a Permissions-Policy; no
page holds an inline script or handler for the policy to block; under KEYPLAN_HTTPS the
site redirects to HTTPS and sends HSTS, and ``keyplan check --deploy`` has nothing to say."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from keyplan.plans import services as plan_services
from keyplan.territory.models import AccountTier, TierProposal
from keyplan.territory.services import icp_save, tiers_recompute
from tests.factories import SaleLineFactory

KEYPLAN = Path(sys.executable).parent / "keyplan"


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
def test_pages_carry_a_strict_policy(client, org):
    client.force_login(org.rep)
    response = client.get("/")
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline script, no eval
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", "blob:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    # The sign-in page and the API too.
    client.logout()
    assert directives(client.get("/login/"))["script-src"] == ["'self'"]
    assert "Content-Security-Policy" in client.get("/api/v1/accounts/")


@pytest.mark.django_db
def test_the_api_docs_allow_inline_styles_only(client, org):
    client.force_login(org.rep)
    response = client.get("/api/docs/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(src=|type=\"application/json\"))[^>]*>")
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.django_db
def test_no_page_holds_an_inline_script_or_handler(client, org):
    SaleLineFactory(account=org.mine)
    plan = plan_services.plan_create(account=org.mine, user=org.rep, revenue_goal=1000)
    client.force_login(org.rep)
    pages = [
        "/",
        f"/accounts/{org.mine.pk}/",
        "/accounts/",
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/map/",
        reverse("capacity"),
    ]
    client.force_login(org.ops)
    pages_ops = ["/territory/", "/territory/whitespace/", "/territory/tiers/", "/imports/"]
    for user, urls in ((org.rep, pages), (org.ops, pages_ops)):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert not INLINE_SCRIPT.search(html), url
            assert not INLINE_HANDLER.search(html), url


@pytest.mark.django_db
def test_accept_all_tier_proposals_is_a_button_of_its_own(client, org):
    icp_save(user=org.ops, criteria=[{"kind": "open_opportunity", "values": [], "weight": 10}])
    tiers_recompute(user=org.ops)
    pending = TierProposal.objects.filter(status="pending").count()
    assert pending > 0
    client.force_login(org.ops)
    page = client.get("/territory/tiers/").content.decode()
    assert 'name="action" value="accept_all"' in page
    response = client.post("/territory/tiers/", {"action": "accept_all"}, follow=True)
    assert f"{pending:,} proposals accepted." in response.content.decode()
    assert AccountTier.objects.count() == pending


@pytest.mark.django_db
@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True
)
def test_https_redirect_and_hsts(client, org):
    client.force_login(org.rep)
    response = client.get("/accounts/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    secure = client.get("/accounts/", secure=True)
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def run_keyplan(tmp_path, *args, **env):
    base = {
        "PATH": "/usr/bin:/bin",
        "KEYPLAN_DATA_DIR": str(tmp_path),
        "KEYPLAN_SECRET_KEY": secrets.token_urlsafe(50),
    }
    if "PYTHONPATH" in os.environ:  # the code under test, when it is not the installed one
        base["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run(
        [str(KEYPLAN), *args], env={**base, **env}, capture_output=True, text=True
    )


def test_check_deploy_is_clean_in_production_with_https(tmp_path):
    result = run_keyplan(tmp_path, "check", "--deploy", KEYPLAN_HTTPS="1")
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "System check identified no issues" in output, output
    assert "WARNINGS" not in output


def test_hsts_is_a_year_by_default_and_can_be_changed(tmp_path):
    show = [
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER)",
    ]
    default = run_keyplan(tmp_path, *show, KEYPLAN_HTTPS="1")
    assert last_line(default).split()[:2] == ["31536000", "True"], default.stderr
    changed = run_keyplan(tmp_path, *show, KEYPLAN_HTTPS="1", KEYPLAN_HSTS_SECONDS="600")
    assert last_line(changed).split()[0] == "600", changed.stderr
    plain = run_keyplan(tmp_path, *show)
    assert last_line(plain).split()[:2] == ["0", "False"], plain.stderr


def last_line(result) -> str:
    lines = result.stdout.strip().splitlines()
    return lines[-1] if lines else ""
