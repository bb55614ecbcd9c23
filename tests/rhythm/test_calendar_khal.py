"""khal, a real calendar application, imports the feed: every event lands on its day,
and importing the feed again after a move moves the event instead of adding one."""

import shutil
import subprocess

import pytest
from django.test import Client

from keyplan.plans import services
from tests.rhythm.conftest import add_action, days
from tests.rhythm.feed_helpers import feed_url

pytestmark = pytest.mark.skipif(
    shutil.which("khal") is None,
    reason="khal is not installed (`make khal`, or apt-get install khal, as root)",
)


def _khal(tmp_path, *args) -> str:
    result = subprocess.run(
        ["khal", "-c", str(tmp_path / "config"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _import(tmp_path, user) -> None:
    feed = tmp_path / "keyplan.ics"
    feed.write_bytes(Client().get(feed_url(user)).content)
    _khal(tmp_path, "import", "--batch", "-a", "keyplan", str(feed))


def _listed(tmp_path) -> list[str]:
    out = _khal(tmp_path, "list", "--format", "{start-date} {title}", days(-90).isoformat(), "700d")
    # khal prints a heading line per day ("Thursday, 2026-12-10"), then its events.
    return [line for line in out.splitlines() if line[:4].isdigit()]


def test_khal_imports_the_feed(org, plan, tmp_path):
    (tmp_path / "calendar").mkdir()
    (tmp_path / "config").write_text(
        "[calendars]\n[[keyplan]]\n"
        f"path = {tmp_path / 'calendar'}\ntype = calendar\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\n"
        "longdateformat = %Y-%m-%d\ndatetimeformat = %Y-%m-%d %H:%M\n"
        "longdatetimeformat = %Y-%m-%d %H:%M\n"
        "default_timezone = Europe/Berlin\nlocal_timezone = Europe/Berlin\n"
        f"[sqlite]\npath = {tmp_path / 'khal.db'}\n"
    )
    call = add_action(plan, org.rep, "Call the CFO", days(10))
    services.element_save(
        kind="milestone", plan=plan, user=org.rep, title="Pilot signed", date=days(40)
    )
    _import(tmp_path, org.rep)
    assert _listed(tmp_path) == [
        f"{days(10).isoformat()} Call the CFO (Mine Group)",
        f"{days(40).isoformat()} Milestone: Pilot signed (Mine Group)",
    ]

    services.element_save(kind="action", plan=plan, user=org.rep, instance=call, due_date=days(12))
    _import(tmp_path, org.rep)
    assert _listed(tmp_path) == [
        f"{days(12).isoformat()} Call the CFO (Mine Group)",
        f"{days(40).isoformat()} Milestone: Pilot signed (Mine Group)",
    ]
