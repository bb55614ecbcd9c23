"""Settings come from the environment. Production mode (the default) refuses to start
without a real secret key, and a malformed or unsupported value stops keyplan with a
message that names the variable, never a silent default, never the secret itself. The
`keyplan` command says it in one sentence, never with a traceback."""

import subprocess
import sys
from pathlib import Path

import pytest

KEYPLAN = Path(sys.executable).parent / "keyplan"
# What a WSGI server does when it starts (``gunicorn keyplan.wsgi``).
SERVE = [sys.executable, "-c", "import django, keyplan.wsgi; print('serving', django.VERSION[0])"]
SECRET_MESSAGE = "KEYPLAN_SECRET_KEY must be set to a random value of at least 32 characters"


def refused(result, message):
    """What a refusal looks like: the WSGI server shows Django's exception; the `keyplan`
    command prints one line, `keyplan: <message>`, with no traceback, and exits 2."""
    assert result.returncode != 0
    if "Traceback" in result.stderr:
        return f"ImproperlyConfigured: {message}" in result.stderr
    lines = result.stderr.strip().splitlines()
    return result.returncode == 2 and len(lines) == 1 and lines[0].startswith(f"keyplan: {message}")


def run(command, tmp_path, **env):
    """Run with only the variables given (no DATABASE_URL or key from the test run)."""
    base = {"PATH": "/usr/bin:/bin", "KEYPLAN_DATA_DIR": str(tmp_path)}
    return subprocess.run(
        [str(c) for c in command], env={**base, **env}, capture_output=True, text=True
    )


@pytest.mark.parametrize("command", [SERVE, [KEYPLAN, "check"]], ids=["wsgi", "check"])
@pytest.mark.parametrize(
    "env",
    [
        {},  # KEYPLAN_DEBUG unset: production is the default
        {"KEYPLAN_DEBUG": "0"},
        {"KEYPLAN_DEBUG": "0", "KEYPLAN_SECRET_KEY": "too-short-" + "s" * 21},  # 31 characters
        {"KEYPLAN_DEBUG": "off", "KEYPLAN_SECRET_KEY": "insecure-keyplan-development-key"},
    ],
    ids=["default", "no-key", "short-key", "development-key"],
)
def test_production_refuses_to_start_without_a_real_secret_key(tmp_path, command, env):
    result = run(command, tmp_path, **env)
    assert refused(result, SECRET_MESSAGE), result.stderr
    if command[0] == KEYPLAN:
        assert "Traceback" not in result.stderr
    assert "serving" not in result.stdout
    if "KEYPLAN_SECRET_KEY" in env:
        assert env["KEYPLAN_SECRET_KEY"] not in result.stderr


def test_checking_for_missing_migrations_needs_no_key_but_migrating_does(tmp_path):
    """`keyplan makemigrations --check` only reads the code: it works in a bare checkout
    (CI, a packager) with no environment at all; anything that touches data still
    refuses without a real key."""
    result = run([KEYPLAN, "makemigrations", "--check", "--dry-run"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout
    result = run([KEYPLAN, "migrate"], tmp_path)
    assert refused(result, SECRET_MESSAGE), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("key", ["k" * 32, "a-random-production-key-" + "z" * 26])
def test_production_starts_with_a_real_key(tmp_path, key):
    result = run([KEYPLAN, "check"], tmp_path, KEYPLAN_DEBUG="0", KEYPLAN_SECRET_KEY=key)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    result = run(SERVE, tmp_path, KEYPLAN_DEBUG="0", KEYPLAN_SECRET_KEY=key)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["serving", "5"]


def test_development_mode_needs_no_key(tmp_path):
    result = run([KEYPLAN, "check"], tmp_path, KEYPLAN_DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "env, message",
    [
        ({"KEYPLAN_DEBUG": "maybe"}, "KEYPLAN_DEBUG='maybe' is not a boolean"),
        ({"KEYPLAN_DEBUG": "1", "KEYPLAN_HTTPS": "sometimes"}, "KEYPLAN_HTTPS='sometimes' is not"),
        (
            {"KEYPLAN_DEBUG": "1", "KEYPLAN_DB_CONN_MAX_AGE": "forever"},
            "KEYPLAN_DB_CONN_MAX_AGE='forever' is not a whole number",
        ),
    ],
    ids=["debug", "https", "conn-max-age"],
)
def test_a_malformed_value_is_refused_naming_the_variable(tmp_path, env, message):
    result = run([KEYPLAN, "check"], tmp_path, **env)
    assert refused(result, message), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "url, shown",
    [
        ("mysql://keyplan:s3cr3t-pw@db.example.com/keyplan", "DATABASE_URL=mysql://..."),
        ("oracle://keyplan:s3cr3t-pw@db.example.com/keyplan", "DATABASE_URL=oracle://..."),
        ("mongodb://keyplan:s3cr3t-pw@db.example.com/keyplan", "DATABASE_URL=mongodb://..."),
        ("postgres://keyplan:s3cr3t-pw@db.example.com:port/keyplan", "DATABASE_URL=postgres://"),
    ],
    ids=["mysql", "oracle", "unknown-scheme", "unreadable"],
)
def test_an_unsupported_database_is_refused_without_showing_its_password(tmp_path, url, shown):
    result = run([KEYPLAN, "check"], tmp_path, KEYPLAN_DEBUG="1", DATABASE_URL=url)
    assert refused(result, shown), result.stderr
    assert "Traceback" not in result.stderr
    assert "keyplan supports sqlite:/// and postgres:// databases" in result.stderr
    assert "s3cr3t-pw" not in result.stderr


def test_the_keyplan_command_reads_the_key_file_make_demo_writes(tmp_path):
    """After `make demo` (which writes `var/secret-key`), `keyplan import` and `keyplan
    analyze` work as the README shows them, with nothing exported by hand."""
    (tmp_path / "secret-key").write_text("a-demo-key-written-by-make-demo-" + "q" * 30 + "\n")
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,industry\nAcme Corp,Manufacturing\nBeta Ltd,Retail\n")
    outputs = []
    for command in (
        [KEYPLAN, "migrate", "--no-input"],
        [KEYPLAN, "import", "accounts", accounts],
        [KEYPLAN, "analyze", "pareto"],
    ):
        result = run(command, tmp_path)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        outputs.append(result.stdout)
    assert "2 created" in outputs[1]


def test_a_short_key_file_is_refused_naming_the_variable_and_the_file(tmp_path):
    (tmp_path / "secret-key").write_text("short\n")
    result = run([KEYPLAN, "migrate"], tmp_path)
    assert refused(result, SECRET_MESSAGE), result.stderr
    assert str(tmp_path / "secret-key") in result.stderr
    assert "short" not in result.stderr.replace(str(tmp_path), "")
