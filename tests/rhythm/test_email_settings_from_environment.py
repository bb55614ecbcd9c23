"""Email is printed to the console unless KEYPLAN_EMAIL_HOST names an SMTP server; the
SMTP settings come from KEYPLAN_EMAIL_* variables, and a bad value stops the start with
a message naming the variable."""

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
READ = (
    "import json, keyplan.settings as s; print(json.dumps([s.EMAIL_BACKEND, s.EMAIL_HOST, "
    "s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, "
    "s.DEFAULT_FROM_EMAIL, s.KEYPLAN_BASE_URL]))"
)


def _settings(**env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KEYPLAN_EMAIL", "KEYPLAN_BASE_URL"))
    }
    clean |= {"KEYPLAN_DEBUG": "1", "PYTHONPATH": str(SRC)} | env
    return subprocess.run(
        [sys.executable, "-c", READ], env=clean, capture_output=True, text=True, timeout=60
    )


def test_console_by_default():
    result = _settings()
    assert result.returncode == 0, result.stderr
    backend, host, port, *_, base = json.loads(result.stdout)
    assert backend == "django.core.mail.backends.console.EmailBackend"
    assert host == "" and base == "http://127.0.0.1:8000"


def test_smtp_from_the_environment():
    result = _settings(
        KEYPLAN_EMAIL_HOST="smtp.example.com",
        KEYPLAN_EMAIL_PORT="2525",
        KEYPLAN_EMAIL_USER="keyplan",
        KEYPLAN_EMAIL_PASSWORD="s3cret",
        KEYPLAN_EMAIL_USE_TLS="yes",
        KEYPLAN_EMAIL_FROM="Sales planning <plans@example.com>",
        KEYPLAN_BASE_URL="https://plans.example.com/",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.com",
        2525,
        "keyplan",
        "s3cret",
        True,
        "Sales planning <plans@example.com>",
        "https://plans.example.com",
    ]
    # TLS without a port: the submission port.
    tls = _settings(KEYPLAN_EMAIL_HOST="smtp.example.com", KEYPLAN_EMAIL_USE_TLS="1")
    assert json.loads(tls.stdout)[2] == 587


def test_bad_values_name_the_variable():
    port = _settings(KEYPLAN_EMAIL_HOST="smtp.example.com", KEYPLAN_EMAIL_PORT="twenty-five")
    assert port.returncode != 0
    assert "KEYPLAN_EMAIL_PORT='twenty-five' is not a whole number." in port.stderr
    tls = _settings(KEYPLAN_EMAIL_USE_TLS="maybe")
    assert "KEYPLAN_EMAIL_USE_TLS='maybe' is not a boolean" in tls.stderr
    base = _settings(KEYPLAN_BASE_URL="keyplan.example.com")
    assert "KEYPLAN_BASE_URL='keyplan.example.com' is not a web address" in base.stderr


def test_the_deploy_check_warns_of_links_to_this_machine(settings):
    from keyplan.rhythm.checks import base_url_reachable

    settings.EMAIL_HOST = "smtp.example.com"
    settings.KEYPLAN_BASE_URL = "http://127.0.0.1:8000"
    [warning] = base_url_reachable(None)
    assert warning.id == "keyplan.W101"
    assert "the links in every email and the calendar addresses point at this machine" in (
        warning.msg
    )
    settings.KEYPLAN_BASE_URL = "https://keyplan.example.com"
    assert base_url_reachable(None) == []
    settings.EMAIL_HOST = ""  # console email: a demo, nothing leaves the machine
    settings.KEYPLAN_BASE_URL = "http://127.0.0.1:8000"
    assert base_url_reachable(None) == []
