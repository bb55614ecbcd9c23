"""The background worker yields the CPU to the web server: it lowers its own priority by
KEYPLAN_WORKER_NICE (10 unless set), so that model learning after a sales import does not
make people wait for pages on a busy machine."""

import os
import time

import pytest

from tests.operations.conftest import stop


def niceness(pid: int) -> int:
    """The 19th field of /proc/PID/stat (after the command name in parentheses)."""
    with open(f"/proc/{pid}/stat") as fh:
        return int(fh.read().rsplit(")", 1)[1].split()[16])


def started_worker(installation, tmp_path, **env):
    log = tmp_path / "worker.log"
    worker = installation.start("db_worker", "--no-reload", "--no-startup-delay", log=log, **env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "Starting worker" not in log.read_text():
        assert worker.poll() is None, log.read_text()
        time.sleep(0.2)
    return worker, log


@pytest.mark.skipif(not os.path.exists("/proc/self/stat"), reason="reads /proc")
@pytest.mark.parametrize("setting, lowered_by", [(None, 10), ("3", 3), ("0", 0)])
def test_the_worker_lowers_its_cpu_priority_by_the_setting(
    installation, tmp_path, setting, lowered_by
):
    env = {} if setting is None else {"KEYPLAN_WORKER_NICE": setting}
    worker, log = started_worker(installation, tmp_path, **env)
    try:
        # The kernel stops at 19 (lowest): under a runner already niced to 10, 10 more is 19.
        expected = min(19, niceness(os.getpid()) + lowered_by)
        assert niceness(worker.pid) == expected, log.read_text()
    finally:
        stop(worker)


def test_a_nice_out_of_range_is_refused_in_words(installation):
    result = installation.run("db_worker", "--batch", check=False, KEYPLAN_WORKER_NICE="25")
    assert result.returncode != 0
    assert "KEYPLAN_WORKER_NICE=25: give a number from 0 (as started) to 19 (lowest)." in (
        result.stdout + result.stderr
    )
