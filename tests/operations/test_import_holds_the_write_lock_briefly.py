"""A sales import does not keep everyone else waiting on SQLite. It checks and prepares
the whole file while only reading, and takes the database's write lock only for the final
write: an API PATCH and a web form save made while a file is being checked go through at
once (with a 1-second busy timeout, they would fail if the import held the lock), and the
import still writes every line. An account deleted after the file was checked and before
it is written makes the import refuse, with a clear message, and write nothing.

The import runs in its own process (``keyplan shell``), as ``keyplan import`` would; its
row checking is slowed down so that it is still preparing while the writes are made, and
it tells the test when it started and when it has prepared (the ``import_prepared``
signal), where it may also pause."""

import json
import sqlite3
import time

import pytest

from tests.operations.conftest import accounts_products_and_sales, stop

LINES = 30_000

SETUP = """
from keyplan.people.models import User
User.objects.create_user("olga", password="x", role="sales_ops")
"""

# The import, slowed down (a second every 5,000 rows checked) so that it is still
# preparing when the writes are made; it leaves a file when it starts checking rows and
# one when it has prepared everything, where it waits for a third when asked to pause.
IMPORT = """
import os, time
from pathlib import Path
from django.core.management import call_command
from keyplan.imports import engine
from keyplan.imports.kinds.sales import SalesKind

markers = Path(os.environ["MARKERS"])
clean = SalesKind.clean
checked = [0]

def slow_clean(self, row):
    checked[0] += 1
    if checked[0] == 1:
        (markers / "started").touch()
    if checked[0] % 5000 == 0:
        time.sleep(1)
    return clean(self, row)

SalesKind.clean = slow_clean

def prepared(**kwargs):
    (markers / "prepared").touch()
    while os.environ.get("PAUSE") and not (markers / "go").exists():
        time.sleep(0.05)

signal = getattr(engine, "import_prepared", None)
if signal is not None:
    signal.connect(prepared)

# STEPS: written in steps of 5,000 lines (not tens of thousands), and after the second
# step a file is left and the import waits (with the write lock released) for "go".
if os.environ.get("STEPS"):
    from keyplan.imports.kinds import sales
    sales.STEP_MIN, sales.STEP_LINES = 10_000, 5_000

    def written(step, **kwargs):
        if step == 1:
            (markers / "step").touch()
            while not (markers / "go").exists():
                time.sleep(0.05)

    stepped = getattr(engine, "import_step_written", None)
    if stepped is not None:
        stepped.connect(written)
call_command("import", "sales", os.environ["FILE"])
"""

# An API PATCH and a web form save, each timed; run with a 1-second busy timeout.
WRITES = """
import json, time
from django.test import Client
from django.test.utils import setup_test_environment
from keyplan.accounts.forms import AccountForm
from keyplan.accounts.models import Account
from keyplan.people.models import User

setup_test_environment()
olga = User.objects.get(username="olga")
client = Client(raise_request_exception=False)
client.force_login(olga)
results = {}

api_account = Account.objects.get(external_id="A1")
web_account = Account.objects.get(external_id="A2")
# Reads first, so the timings below are of the writes, not of loading the code.
client.get(f"/api/v1/accounts/{api_account.pk}/")
client.get(f"/accounts/{web_account.pk}/edit/")
started = time.monotonic()
response = client.patch(
    f"/api/v1/accounts/{api_account.pk}/",
    {"name": "Renamed by the API", "version": api_account.version},
    content_type="application/json",
)
results["api"] = [response.status_code, time.monotonic() - started]

form = AccountForm(instance=web_account, user=olga)
data = {}
for field in form:
    value = field.value()
    if value is not None:
        data[field.html_name] = value
data["name"] = "Renamed on the web"
started = time.monotonic()
response = client.post(f"/accounts/{web_account.pk}/edit/", data)
results["web"] = [response.status_code, time.monotonic() - started]
print(json.dumps(results))
"""

DELETE_ACCOUNT = """
from keyplan.accounts.deletion import account_delete
from keyplan.accounts.models import Account
from keyplan.people.models import User

olga = User.objects.get(username="olga")
account_delete(account=Account.objects.get(external_id="A7"), user=olga)
"""


@pytest.fixture
def territory(installation, tmp_path):
    """Users, 20 accounts, 4 products and a file of 30,000 sale lines for them."""
    installation.run("shell", "-c", SETUP)
    sales = accounts_products_and_sales(installation, tmp_path, LINES)
    markers = tmp_path / "markers"
    markers.mkdir()
    return sales, markers


def start_import(installation, tmp_path, sales, markers, *, pause: bool, steps=False):
    log = tmp_path / "import.log"
    process = installation.start(
        "shell",
        "-c",
        IMPORT,
        log=log,
        FILE=str(sales),
        MARKERS=str(markers),
        PAUSE="1" if pause else "",
        STEPS="1" if steps else "",
    )
    return process, log


def wait_for(path, process, log, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return
        assert process.poll() is None, log.read_text()[-3000:]
        time.sleep(0.05)
    raise AssertionError(f"the import never reached {path.name}: {log.read_text()[-3000:]}")


def make_writes(installation) -> dict:
    result = installation.run(
        "shell", "-c", WRITES, DJANGO_SETTINGS_MODULE="tests.operations.lock_wait_settings"
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def database_values(installation, sql):
    with sqlite3.connect(installation.database, timeout=30) as reader:
        return reader.execute(sql).fetchall()


def test_web_and_api_saves_go_through_while_a_sales_file_is_being_checked(
    installation, tmp_path, territory
):
    sales, markers = territory
    process, log = start_import(installation, tmp_path, sales, markers, pause=False)
    try:
        wait_for(markers / "started", process, log)
        results = make_writes(installation)
        # Both saves went through promptly, while the import was still checking rows.
        assert not (markers / "prepared").exists()
        assert process.poll() is None
        assert results["api"][0] == 200, results
        assert results["web"][0] == 302, results  # saved, back to the account's page
        assert results["api"][1] < 3 and results["web"][1] < 3, results
        assert process.wait(timeout=300) == 0, log.read_text()[-3000:]
    finally:
        stop(process)
    assert (markers / "prepared").exists()
    assert database_values(installation, "SELECT COUNT(*) FROM sales_saleline") == [(LINES,)]
    names = dict(
        database_values(
            installation,
            "SELECT external_id, name FROM accounts_account WHERE external_id IN ('A1', 'A2')",
        )
    )
    assert names == {"A1": "Renamed by the API", "A2": "Renamed on the web"}
    # The roll-up covers every line imported.
    total = database_values(installation, "SELECT SUM(amount) FROM sales_saleline")[0][0]
    rolled = database_values(installation, "SELECT SUM(amount) FROM sales_salesmonth")[0][0]
    assert round(total, 2) == round(rolled, 2)


def test_an_account_deleted_between_checking_and_writing_refuses_the_import(
    installation, tmp_path, territory
):
    sales, markers = territory
    process, log = start_import(installation, tmp_path, sales, markers, pause=True)
    try:
        wait_for(markers / "prepared", process, log)
        # Prepared, not yet writing: other writes go through, and one deletes an account.
        results = make_writes(installation)
        assert results["api"][0] == 200 and results["web"][0] == 302, results
        started = time.monotonic()
        installation.run(
            "shell",
            "-c",
            DELETE_ACCOUNT,
            DJANGO_SETTINGS_MODULE="tests.operations.lock_wait_settings",
        )
        assert time.monotonic() - started < 30
        (markers / "go").touch()
        assert process.wait(timeout=300) == 1
    finally:
        stop(process)
    text = log.read_text()
    assert (
        "1 account that this file names was deleted while the file was being checked "
        "(the first at row 9). Nothing was imported: import the file again" in text
    ), text[-3000:]
    assert "Traceback" not in text
    assert database_values(installation, "SELECT COUNT(*) FROM sales_saleline") == [(0,)]
    assert database_values(installation, "SELECT COUNT(*) FROM sales_salesmonth") == [(0,)]
    # The failed import is in the history, with its reason.
    history = database_values(installation, "SELECT status, failure FROM imports_importrun")
    assert [status for status, failure in history if "was deleted while" in failure] == ["failed"]


def test_a_large_import_into_a_table_in_use_lets_saves_in_between_its_steps(
    installation, tmp_path, territory
):
    """The first 30,000 lines are a first load (one transaction: nobody reads an empty
    table). A second file of 30,000 new lines for the same accounts is written in steps:
    between two of them the write lock is free, so saves with a 1-second busy timeout go
    through, and every account is whole (its lines and roll-up agree), some with the new
    lines and some not yet."""
    sales, markers = territory
    installation.run("import", "sales", sales)
    more = tmp_path / "more.csv"
    with open(more, "w") as fh:
        fh.write("external_id,account,product,date,amount\n")
        for i in range(LINES):
            fh.write(f"T{i},A{i // 1500},P{i % 4},2027-{i % 12 + 1:02d}-15,{10 + i % 7}.25\n")
    process, log = start_import(installation, tmp_path, more, markers, pause=False, steps=True)
    try:
        wait_for(markers / "step", process, log)
        results = make_writes(installation)
        assert results["api"][0] == 200 and results["web"][0] == 302, results
        lines = dict(
            database_values(
                installation,
                "SELECT account_id, SUM(amount) FROM sales_saleline GROUP BY account_id",
            )
        )
        rolled = dict(
            database_values(
                installation,
                "SELECT account_id, SUM(amount) FROM sales_salesmonth GROUP BY account_id",
            )
        )
        assert lines == rolled
        with_new = database_values(
            installation,
            "SELECT COUNT(DISTINCT account_id) FROM sales_saleline WHERE external_id LIKE 'T%'",
        )
        # Steps of at most 5,000 lines, so three accounts of 1,500 new lines each: after
        # two steps, the new lines of six accounts are in.
        assert with_new == [(6,)]
        (markers / "go").touch()
        assert process.wait(timeout=300) == 0, log.read_text()[-3000:]
    finally:
        stop(process)
    text = log.read_text()
    assert "written in 7 steps: other writers waited at most" in text, text[-3000:]
    assert database_values(installation, "SELECT COUNT(*) FROM sales_saleline") == [(2 * LINES,)]
    total = database_values(installation, "SELECT SUM(amount) FROM sales_saleline")[0][0]
    rolled = database_values(installation, "SELECT SUM(amount) FROM sales_salesmonth")[0][0]
    assert round(total, 2) == round(rolled, 2)
