"""A large import copies what it wrote out of SQLite's write-ahead log before it ends.

While people read pages during an import, its commit can copy into the database file
only what no open read still needs, which is little; the rest used to wait for the last
connection to close, which copies it all while holding the database exclusively: every
page that opened a connection then waited (about 10 s near the end of a 970,000-line
import under 30 users). Here a page's read is open across the import's commit; when the
import command has ended, the log holds nothing left to copy."""

import os
import sqlite3
import time

import pytest

from tests.operations.conftest import accounts_products_and_sales

LINES = 120_000
ALLOWED_PAGES = 1000  # what SQLite's own automatic checkpoint leaves between its runs


@pytest.fixture
def sales(installation, tmp_path):
    """20 accounts, 4 products and a file of 120,000 sale lines for them."""
    return accounts_products_and_sales(installation, tmp_path, LINES)


def lines_in(database) -> int:
    with sqlite3.connect(database, timeout=30) as other:
        return other.execute("SELECT COUNT(*) FROM sales_saleline").fetchone()[0]


def test_the_import_copies_its_write_ahead_log_before_it_ends(installation, tmp_path, sales):
    database = installation.database
    # Another person's page, reading when the import commits (and connected after).
    page = sqlite3.connect(database, isolation_level=None, timeout=30)
    page.execute("BEGIN")
    assert page.execute("SELECT COUNT(*) FROM sales_saleline").fetchone() == (0,)
    before = os.path.getsize(database)
    log = tmp_path / "import.log"
    process = installation.start("import", "sales", sales, log=log)
    try:
        deadline = time.monotonic() + 300
        while lines_in(database) < LINES:
            assert process.poll() is None or lines_in(database) == LINES, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        page.execute("COMMIT")  # the page's read ends; its connection stays open
        assert process.wait(timeout=300) == 0, log.read_text()
    finally:
        process.kill() if process.poll() is None else None
    page_size = page.execute("PRAGMA page_size").fetchone()[0]
    size = os.path.getsize(database)
    page.execute("PRAGMA wal_checkpoint(PASSIVE)")  # what a last close would copy
    copied_by_import = (size - before) // page_size
    left = (os.path.getsize(database) - size) // page_size
    assert left <= ALLOWED_PAGES, (
        f"{left} pages were still waiting to be copied after the import "
        f"({copied_by_import} copied by it)"
    )
    assert copied_by_import > 2 * ALLOWED_PAGES  # far more than the allowance was written
    page.close()
