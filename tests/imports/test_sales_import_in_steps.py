"""A large sales import is written in steps of whole accounts, each its own transaction,
so that saves made meanwhile wait for one step rather than for the whole file (issue 14:
pages that save stayed over 500 ms at p95 during a million-line import on SQLite).

Here the step sizes are made small (the real ones are tens of thousands of lines) so a
file of a hundred lines takes several steps. Between two steps every account is whole:
its sale lines and its roll-up agree, and it shows either the file or what it held
before. The accounts a moved line leaves and joins are written together. After the last
step the roll-up and the year totals are what recomputing them from the lines gives,
and the facts are announced as changed once. A step whose accounts someone else changed
meanwhile stops the import with a message that says what was written and how to finish,
and importing the file again finishes it."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db.models import Sum

from keyplan.imports import engine
from keyplan.imports.kinds import sales as sales_kind
from keyplan.sales import rollup
from keyplan.sales.models import SaleLine, SalesMonth, SalesYear
from keyplan.sales.services import sale_line_save
from tests.factories import AccountFactory, ProductFactory
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db

ACCOUNTS = 12
HEADER = "external_id,account,product,date,amount\n"


def before_lines() -> list[str]:
    """Five lines per account, E0 … E59 (account i has E5i … E5i+4), in 2025."""
    return [
        f"E{n},A{n // 5},P{n % 2},2025-{n % 5 + 1:02d}-10,{100 + n}.00\n"
        for n in range(5 * ACCOUNTS)
    ]


def after_file(tmp_path):
    """The same lines with two changes (E0's amount; E5 moves from A1 to A2), five new
    lines per account in 2026, and two identical lines without an id for A3."""
    lines = before_lines()
    lines[0] = "E0,A0,P0,2025-01-10,999.00\n"
    lines[5] = "E5,A2,P1,2025-01-10,105.00\n"
    lines += [
        f"N{n},A{n // 5},P{n % 2},2026-{n % 5 + 1:02d}-20,{10 + n}.50\n"
        for n in range(5 * ACCOUNTS)
    ]
    lines += [",A3,P0,2026-03-03,40.00\n"] * 2
    return write(tmp_path / "after.csv", HEADER + "".join(lines))


@pytest.fixture
def territory(tmp_path, run_import):
    for i in range(ACCOUNTS):
        AccountFactory(name=f"Account {i}", external_id=f"A{i}")
    for p in range(2):
        ProductFactory(name=f"Product {p}", external_id=f"P{p}")
    code, report = run_import(
        "sales", write(tmp_path / "before.csv", HEADER + "".join(before_lines()))
    )
    assert code == 0 and report["created"] == 5 * ACCOUNTS
    assert report["write_steps"] == 0  # a small file: one transaction, as before


@pytest.fixture
def small_steps(monkeypatch):
    monkeypatch.setattr(sales_kind, "STEP_MIN", 50)
    monkeypatch.setattr(sales_kind, "STEP_LINES", 10)
    monkeypatch.setattr(engine, "STEP_PAUSE", 0)
    monkeypatch.setattr(engine.time, "sleep", lambda seconds: None)


@pytest.fixture
def between_steps():
    """Run a function after each step is written: it gets the step's number."""
    actions = []

    def receiver(step, **kwargs):
        for action in actions:
            action(step)

    engine.import_step_written.connect(receiver)
    yield actions.append
    engine.import_step_written.disconnect(receiver)


def per_account(queryset, field="amount") -> dict[str, Decimal]:
    return {
        row["account__external_id"]: row["total"]
        for row in queryset.values("account__external_id").annotate(total=Sum(field))
    }


def has_new_lines() -> set[str]:
    return set(
        SaleLine.objects.filter(external_id__startswith="N").values_list(
            "account__external_id", flat=True
        )
    )


def test_a_large_file_is_written_account_by_account_and_every_account_is_whole_between_steps(
    tmp_path, territory, small_steps, between_steps, run_import
):
    seen = []

    def look(step):
        lines = per_account(SaleLine.objects.all())
        rolled = per_account(SalesMonth.objects.filter(from_opportunities=0))
        assert lines == rolled, f"after step {step}, an account's lines and roll-up disagree"
        seen.append(has_new_lines())

    between_steps(look)
    announced = []

    def count(**kwargs):
        announced.append(kwargs["version"])

    rollup.rollup_committed.connect(count)
    try:
        code, report = run_import("sales", after_file(tmp_path))
    finally:
        rollup.rollup_committed.disconnect(count)

    assert code == 0, report
    assert (report["created"], report["updated"]) == (5 * ACCOUNTS + 2, 2)
    # 64 new and changed lines of 12 accounts, in steps of at most 10 lines or one
    # account: A1 and A2 first (a line moves between them: 11 lines), then A0 (6) and
    # A3 (7) alone, then two accounts of 5 lines a step.
    assert report["write_steps"] == len(seen) == 7
    assert seen[0] == {"A1", "A2"}
    assert seen[1] == {"A0", "A1", "A2"}
    assert seen[2] == {"A0", "A1", "A2", "A3"}
    assert all(len(seen[i]) == len(seen[i - 1]) + 2 for i in range(3, 7))
    assert seen[-1] == {f"A{i}" for i in range(ACCOUNTS)}
    assert len(announced) == 1  # the warm-up is asked once, after the last step

    assert SaleLine.objects.count() == 10 * ACCOUNTS + 2
    changed = SaleLine.objects.get(external_id="E0")
    assert (changed.amount, changed.version) == (Decimal("999.00"), 2)
    moved = SaleLine.objects.get(external_id="E5")
    assert (moved.account.external_id, moved.version) == ("A2", 2)
    assert SaleLine.objects.get(external_id="E6").version == 1  # unchanged, untouched
    assert SaleLine.objects.filter(external_id=None, account__external_id="A3").count() == 2

    # The roll-up and the year totals are what recomputing them from the lines gives.
    def tables():
        months = sorted(
            SalesMonth.objects.values_list(
                "account_id", "product_id", "month", "amount", "quantity", "from_opportunities"
            )
        )
        year = sorted(SalesYear.objects.values_list("account_id", "product_id", "amount"))
        return months, year

    written = tables()
    rollup.rollup_refresh()
    assert tables() == written
    assert written[1] and max(m[2] for m in written[0]) == datetime.date(2026, 5, 1)


def test_someone_changing_a_later_steps_account_stops_the_import_with_what_was_written(
    tmp_path, territory, small_steps, between_steps, run_import
):
    def change_a_line_of_the_last_account(step):
        if step == 0:  # as sales operations would, through the API
            line = SaleLine.objects.get(external_id="E55")
            line.amount = Decimal("1.00")
            sale_line_save(sale_line=line)

    between_steps(change_a_line_of_the_last_account)
    path = after_file(tmp_path)
    code, report = run_import("sales", path)

    assert code == 2 and not report["ok"]
    failure = report["failure"]
    assert failure.startswith(
        "The import stopped while writing: Someone else added, changed or deleted sale lines "
        "of accounts this file names while it was being written."
    ), failure
    assert "54 of its 64 new and changed lines were written (whole accounts, in 6 of 7 steps)" in (
        failure
    )
    assert "Import the same file again to write the rest" in failure
    # What was written stays, the rest is not written, and the other person's change is kept.
    assert has_new_lines() == {f"A{i}" for i in range(10)}
    assert SaleLine.objects.get(external_id="E55").amount == Decimal("1.00")
    lines = per_account(SaleLine.objects.all())
    assert lines == per_account(SalesMonth.objects.filter(from_opportunities=0))

    code, report = run_import("sales", path)
    assert code == 0, report
    assert has_new_lines() == {f"A{i}" for i in range(ACCOUNTS)}
    assert SaleLine.objects.count() == 10 * ACCOUNTS + 2


def test_the_page_of_a_web_import_says_which_step_it_is_writing(
    tmp_path, territory, small_steps, client
):
    """While a large import is written, its page says so (step k of n) instead of a full
    bar with "about 0 s left"; the progress the engine reports goes step by step."""
    from django.core.cache import cache

    from keyplan.imports.engine import run_import
    from keyplan.imports.models import ImportRun
    from keyplan.imports.services import progress_key
    from tests.factories import UserFactory

    reported = []
    report = run_import(kind="sales", path=after_file(tmp_path), on_progress=reported.append)
    steps = [(p.step, p.steps) for p in reported if p.steps]
    assert steps == [(n, 7) for n in range(1, 8)] and report.write_steps == 7

    ops = UserFactory(username="olga", role="sales_ops")
    run = ImportRun.objects.create(
        kind="sales", file_name="after.csv", stored_file="x.csv", status="running", created_by=ops
    )
    cache.set(
        progress_key(run.pk),
        {"fraction": 1.0, "rows": 124, "rate": 50, "remaining": 0.0, "step": 3, "steps": 7},
    )
    client.force_login(ops)
    response = client.get(run.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    marker = 'data-testid="import-progress-text">'
    start = html.index(marker) + len(marker)
    text = " ".join(re.sub(r"<[^>]+>", "", html[start : html.index("</p>", start)]).split())
    assert text == "100% · 124 rows · checked; writing, step 3 of 7 · Running", text
    assert "s left" not in text
