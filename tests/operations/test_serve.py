"""`keyplan serve` is the production web server (gunicorn): it answers pages and static
files, and refuses to start where it would be unsafe or broken."""

import urllib.error
import urllib.request

from tests.operations.conftest import free_port, stop, wait_until_listening


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def test_serve_answers_the_login_page_and_static_files(installation, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    server = installation.start(
        "serve", log=log, KEYPLAN_BIND=f"127.0.0.1:{port}", KEYPLAN_WEB_WORKERS="2"
    )
    try:
        wait_until_listening(port, server, log)
        status, _, body = get(f"http://127.0.0.1:{port}/login/")
        assert status == 200
        assert b"Sign in to keyplan" in body
        # The page's own stylesheet and script, served by the same processes.
        status, content_type, body = get(f"http://127.0.0.1:{port}/static/keyplan/keyplan.css")
        assert (status, content_type.split(";")[0]) == (200, "text/css")
        assert len(body) > 1000
        status, _, _ = get(f"http://127.0.0.1:{port}/static/vendor/htmx/htmx-2.0.11.min.js")
        assert status == 200
        # Production mode: a missing page is the plain 404 page, never a debug page.
        status, _, body = get(f"http://127.0.0.1:{port}/static/keyplan/no-such-file.css")
        assert status == 404
        assert b"Traceback" not in body
    finally:
        returncode = stop(server)
    text = log.read_text()
    # Two threads per process unless KEYPLAN_WEB_THREADS says otherwise: a save waiting
    # for SQLite's write lock (a large import's final write) leaves its process's second
    # thread to answer pages; more threads share one interpreter lock (benchmarks: "Load").
    plan = "with 2 worker processes of 2 threads each."
    assert f"keyplan serves http://127.0.0.1:{port}/ {plan}" in text
    assert "gthread" in text
    assert returncode == 0, text
    assert "Traceback" not in text


def test_serve_refuses_debug_mode(installation):
    result = installation.run("serve", check=False, KEYPLAN_DEBUG="1")
    assert result.returncode != 0
    assert "keyplan serve refuses to start" in result.stderr
    assert "KEYPLAN_DEBUG is on" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_to_answer_any_host_name(installation):
    result = installation.run("serve", check=False, KEYPLAN_ALLOWED_HOSTS="*")
    assert result.returncode != 0
    assert "KEYPLAN_ALLOWED_HOSTS contains '*'" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_an_unmigrated_database(installation):
    installation.database.unlink()
    result = installation.run("serve", check=False)
    assert result.returncode != 0
    assert "run `keyplan migrate` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_refuses_a_malformed_address(installation):
    result = installation.run("serve", check=False, KEYPLAN_BIND="everywhere")
    assert result.returncode != 0
    assert "KEYPLAN_BIND='everywhere' is not an address to listen on" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_warns_about_plain_http_on_the_network(installation, tmp_path):
    port = free_port()
    log = tmp_path / "serve.log"
    server = installation.start("serve", "--workers=1", log=log, KEYPLAN_BIND=f"0.0.0.0:{port}")
    try:
        wait_until_listening(port, server, log)
    finally:
        stop(server)
    assert f"Serving plain HTTP on 0.0.0.0:{port}" in log.read_text()
