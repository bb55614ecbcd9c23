"""On SQLite one writer writes at a time: a save made while a large import holds the write
lock (its final write) waits for it. `keyplan serve` runs two threads per process by
default, so that waiting save holds one thread and the process's other thread still
answers pages that only read. With one thread per process, a read that lands on the
process of a waiting save waited with it (up to 6 s during a 970,267-line import with 30
people; benchmarks/README.md, "Two threads per process")."""

import http.cookiejar
import re
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request

from tests.operations.conftest import free_port, stop, wait_until_listening


def test_a_page_is_answered_while_a_save_in_the_same_process_waits_for_the_write_lock(
    installation, tmp_path
):
    port = free_port()
    log = tmp_path / "serve.log"
    # One process, its default threads: the save and the read land on the same process.
    server = installation.start(
        "serve", log=log, KEYPLAN_BIND=f"127.0.0.1:{port}", KEYPLAN_WEB_WORKERS="1"
    )
    base = f"http://127.0.0.1:{port}"
    holder = None
    try:
        wait_until_listening(port, server, log)
        cookies = http.cookiejar.CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies))
        page = browser.open(f"{base}/login/", timeout=10).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

        # Another writer (an import's final write) holds SQLite's write lock.
        holder = sqlite3.connect(installation.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")

        # A sign-in attempt is a write (it is recorded, to lock out guessing): it waits.
        answered = {}

        def sign_in():
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong"}
            ).encode()
            request = urllib.request.Request(
                f"{base}/login/", data=body, headers={"Referer": f"{base}/login/"}
            )
            try:
                with browser.open(request, timeout=60) as response:
                    answered["status"] = response.status
            except urllib.error.HTTPError as error:
                answered["status"] = error.code

        waiting = threading.Thread(target=sign_in)
        waiting.start()
        waiting.join(1.5)
        assert waiting.is_alive(), "the sign-in should wait for the write lock"

        # Meanwhile a page that only reads is answered by the same process, the lock
        # still held (with one thread it waited until the sign-in's busy timeout, 20 s).
        with urllib.request.urlopen(f"{base}/login/", timeout=15) as response:
            assert response.status == 200
            assert b"Sign in to keyplan" in response.read()
        assert waiting.is_alive(), "the lock was held all along"

        # The other writer finishes; the waiting sign-in goes through and is refused in
        # words (wrong password), not failed.
        holder.execute("COMMIT")
        waiting.join(30)
        assert not waiting.is_alive()
        assert answered["status"] == 200
    finally:
        if holder is not None and holder.in_transaction:
            holder.execute("ROLLBACK")
        returncode = stop(server)
    assert returncode == 0, log.read_text()
    assert "Traceback" not in log.read_text()
