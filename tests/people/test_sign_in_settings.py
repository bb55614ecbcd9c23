"""The sign-in limits are settings from the environment; a value that makes no sense stops
keyplan with a message naming the variable, instead of locking everybody out or never."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

KEYPLAN = Path(sys.executable).parent / "keyplan"


def check(tmp_path, **env):
    base = {"PATH": "/usr/bin:/bin", "KEYPLAN_DATA_DIR": str(tmp_path), "KEYPLAN_DEBUG": "1"}
    if "PYTHONPATH" in os.environ:  # a worktree's code, not the installed copy
        base["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return subprocess.run(
        [str(KEYPLAN), "check"], env={**base, **env}, capture_output=True, text=True
    )


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("KEYPLAN_LOGIN_FAILURE_LIMIT", "0", "KEYPLAN_LOGIN_FAILURE_LIMIT=0 must be at least 1."),
        ("KEYPLAN_LOGIN_LOCKOUT_MINUTES", "-5", "KEYPLAN_LOGIN_LOCKOUT_MINUTES=-5 must be at"),
        ("KEYPLAN_SESSION_IDLE_MINUTES", "0", "KEYPLAN_SESSION_IDLE_MINUTES=0 must be at least"),
        ("KEYPLAN_SESSION_MAX_HOURS", "twelve", "KEYPLAN_SESSION_MAX_HOURS='twelve' is not a"),
        ("KEYPLAN_API_TOKEN_DAYS", "0", "KEYPLAN_API_TOKEN_DAYS=0 must be at least 1."),
        ("KEYPLAN_TRUSTED_PROXIES", "-1", "KEYPLAN_TRUSTED_PROXIES=-1 is below 0."),
    ],
)
def test_a_senseless_limit_stops_keyplan_with_the_variable_named(
    tmp_path, variable, value, message
):
    result = check(tmp_path, **{variable: value})
    assert result.returncode == 2
    assert result.stderr.strip().startswith(f"keyplan: {message}")
    assert "Traceback" not in result.stderr


def test_sensible_limits_pass_the_check(tmp_path):
    result = check(
        tmp_path,
        KEYPLAN_LOGIN_FAILURE_LIMIT="10",
        KEYPLAN_LOGIN_LOCKOUT_MINUTES="30",
        KEYPLAN_SESSION_IDLE_MINUTES="20",
        KEYPLAN_SESSION_MAX_HOURS="8",
        KEYPLAN_API_TOKEN_DAYS="7",
        KEYPLAN_TRUSTED_PROXIES="1",
    )
    assert result.returncode == 0, result.stderr
