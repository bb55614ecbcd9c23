"""Bigger territories get a bigger sales organisation, and the generator streams: it
never holds more than one account family's records, so 100,000 accounts fit in memory."""

import random

import pytest

from keyplan.territory.generator import Spec, Writer, generate
from keyplan.territory.generator.db_writer import DatabaseWriter
from keyplan.territory.generator.organisation import sales_organisation


@pytest.mark.parametrize("accounts", [300, 3_000, 30_000])
def test_reps_scale_with_the_territory_and_the_demo_logins_stay(accounts):
    org = sales_organisation(accounts=accounts, r=random.Random(1))
    roles = {u.username: u.role for u in org.users}
    for username, role in {
        "admin": "admin",
        "ops": "sales_ops",
        "manager": "manager",
        "manager2": "manager",
        "rep": "rep",
        "rep6": "rep",
        "exec": "executive",
        "exec2": "executive",
    }.items():
        assert roles[username] == role
    reps = [u for u in org.users if u.role == "rep"]
    managers = [u for u in org.users if u.role == "manager"]
    assert 150 <= accounts / len(reps) <= 300 or len(reps) == 6
    assert 3 <= len(reps) / len(managers) <= 7
    by_number = {u.n: u for u in org.users}
    for rep in reps:
        assert by_number[rep.manager].role == "manager"
        assert by_number[rep.manager].team == rep.team
    assert len({u.team for u in managers}) == len(managers)  # one manager per team


class Recorder(Writer):
    def __init__(self):
        self.largest = {}
        self.totals = {}

    def _seen(self, kind, records):
        self.largest[kind] = max(self.largest.get(kind, 0), len(records))
        self.totals[kind] = self.totals.get(kind, 0) + len(records)

    def accounts(self, accounts):
        self._seen("accounts", accounts)

    def sale_lines(self, lines):
        self._seen("sale_lines", lines)


def test_records_stream_to_the_writer_one_account_at_a_time():
    recorder = Recorder()
    counts = generate(Spec(seed=4, accounts=1500), recorder)
    assert recorder.totals == {"accounts": 1500, "sale_lines": counts.sale_lines}
    assert counts.sale_lines > 100_000
    # One account's history at most (36 months x 28 products), one family of accounts.
    assert recorder.largest["sale_lines"] <= 36 * 28
    assert recorder.largest["accounts"] < 60


@pytest.mark.django_db
def test_the_database_writer_inserts_in_batches(monkeypatch):
    from keyplan.territory.generator import db_writer

    batches = []
    real = db_writer.bulk_insert
    monkeypatch.setattr(
        db_writer,
        "bulk_insert",
        lambda table, cols, rows, **kw: batches.append(len(rows)) or real(table, cols, rows, **kw),
    )
    counts = generate(Spec(seed=4, accounts=80), DatabaseWriter(batch=500))
    assert sum(batches) > counts.sale_lines
    assert max(batches) < 500 + 36 * 28  # a batch, plus the account that filled it
