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
from django.db import OperationalError
from django.db.models import Sum
from django.test import TestCase

from keyplan.accounts.models import Account
from keyplan.imports import engine, services
from keyplan.imports.kinds import sales as sales_kind
from keyplan.imports.models import ImportRun, ImportStatus
from keyplan.sales import rollup
from keyplan.sales.choices import OpportunityStatus, Stage
from keyplan.sales.models import Opportunity, SaleLine, SalesMonth, SalesYear
from keyplan.sales.services import opportunity_delete, sale_line_save
from tests.factories import AccountFactory, OpportunityFactory, ProductFactory
from tests.imports.conftest import stage_tables, write

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


def stopped_while_writing(code, report, reason: str) -> str:
    """The import stopped between steps, for ``reason``: it says so first and ends with
    how to finish (the message, for further checks)."""
    assert code == 2 and not report["ok"], report
    failure = report["failure"]
    assert failure.startswith(f"The import stopped while writing: {reason}"), failure
    assert "Import the same file again to write the rest" in failure, failure
    return failure


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

    failure = stopped_while_writing(
        code,
        report,
        "Someone else added, changed or deleted sale lines "
        "of accounts this file names while it was being written.",
    )
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


def rollup_tables():
    months = sorted(
        SalesMonth.objects.values_list(
            "account_id", "product_id", "month", "amount", "quantity", "from_opportunities"
        ),
        key=str,
    )
    year = sorted(SalesYear.objects.values_list("account_id", "product_id", "amount"), key=str)
    return months, year


def assert_rollup_is_a_rebuilds():
    """The roll-up and the year totals are what recomputing them from the lines and the
    won deals gives: nothing counted twice, nothing missing."""
    written = rollup_tables()
    rollup.rollup_refresh()
    assert rollup_tables() == written


def won_deal(account: str, external_id: str) -> Opportunity:
    return OpportunityFactory(
        account=Account.objects.get(external_id=account),
        external_id=external_id,
        stage=Stage.CLOSED_WON,
        status=OpportunityStatus.WON,
        amount=Decimal("7000.00"),
        close_date=datetime.date(2026, 4, 15),
    )


def with_deals(tmp_path, deals: dict[str, str]):
    """``after_file`` with an opportunity column: ``deals`` names the deal of some lines
    by external id."""
    lines = []
    for line in after_file(tmp_path).read_text().splitlines()[1:]:
        ext = line.split(",", 1)[0]
        lines.append(f"{line},{deals.get(ext, '')}\n")
    return write(tmp_path / "deals.csv", HEADER.rstrip("\n") + ",opportunity\n" + "".join(lines))


@pytest.mark.parametrize("steps", [True, False], ids=["in steps", "one transaction"])
def test_a_line_delivering_a_won_deal_of_another_account_takes_it_out_of_that_accounts_roll_up(
    tmp_path, territory, small_steps, run_import, monkeypatch, steps
):
    # A deal won by A0 (its own lines would be written a step before A10's) and one by A11
    # (not in the file below at all), delivered by new lines of A10: the deals' amounts
    # then count once, as those sale lines, and no longer as won deals without lines. The
    # one-transaction path missed A11 too.
    if not steps:
        monkeypatch.setattr(sales_kind, "STEP_MIN", 10**9)
    won_deal("A0", "WON-A0")
    won_deal("A11", "WON-A11")
    assert SalesMonth.objects.filter(from_opportunities__gt=0).count() == 2
    path = with_deals(tmp_path, {"N50": "WON-A0", "N51": "WON-A11"})
    path.write_text(
        "".join(line for line in path.read_text().splitlines(True) if ",A11," not in line)
    )

    code, report = run_import("sales", path)

    assert code == 0, report
    assert bool(report["write_steps"]) == steps
    assert not SalesMonth.objects.filter(from_opportunities__gt=0).exists()
    assert_rollup_is_a_rebuilds()


@pytest.mark.parametrize("steps", [True, False], ids=["in steps", "one transaction"])
def test_a_line_no_longer_delivering_a_won_deal_of_another_account_puts_the_deal_back(
    tmp_path, territory, small_steps, run_import, monkeypatch, steps
):
    if not steps:
        monkeypatch.setattr(sales_kind, "STEP_MIN", 10**9)
    # E50 (of A10) delivers a deal won by A0; the file below says it does not, so the deal
    # counts again in A0's roll-up (whose own lines would be written a step before A10's).
    SaleLine.objects.filter(external_id="E50").update(opportunity=won_deal("A0", "WON-A0"))
    rollup.rollup_refresh()
    assert not SalesMonth.objects.filter(from_opportunities__gt=0).exists()
    path = tmp_path / "undelivered.csv"
    path.write_text(
        HEADER.rstrip("\n")
        + ",opportunity\n"
        + "".join(f"{line.rstrip()},\n" for line in before_lines())
        + "".join(
            f"M{n},A{n // 5},P{n % 2},2026-{n % 5 + 1:02d}-21,{20 + n}.50,\n"
            for n in range(5 * ACCOUNTS)
        )
    )

    code, report = run_import("sales", path)

    assert code == 0, report
    assert bool(report["write_steps"]) == steps
    assert SalesMonth.objects.filter(account__external_id="A0", from_opportunities__gt=0).exists()
    assert_rollup_is_a_rebuilds()


class WorkerStopped(BaseException):
    """The background worker's process ending half-way (here within the test's process)."""


def test_a_worker_lost_while_writing_in_steps_says_what_was_written_and_how_to_finish(
    tmp_path, territory, small_steps, between_steps
):
    stored = services.upload_dir() / f"steps-{tmp_path.name}.csv"
    stored.write_bytes(after_file(tmp_path).read_bytes())
    run = ImportRun.objects.create(
        kind="sales", file_name="after.csv", file_sha256="0" * 64, stored_file=stored.name
    )

    def stop_the_worker(step):
        if step == 2:
            raise WorkerStopped

    between_steps(stop_the_worker)
    with pytest.raises(WorkerStopped):
        services.import_execute(run_id=run.pk)
    # Three steps were written (A1 and A2, then A0, then A3) when the worker stopped; the
    # recovery finds the run still running and fails it, saying why.
    assert has_new_lines() == {"A0", "A1", "A2", "A3"}
    # A stopped process says nothing more: the recovery tells the analyses the facts changed.
    announced = []

    def count(**kwargs):
        announced.append(kwargs["version"])

    rollup.rollup_committed.connect(count)
    try:
        with TestCase.captureOnCommitCallbacks(execute=True):
            lost = services.import_worker_lost(run_id=run.pk)
    finally:
        rollup.rollup_committed.disconnect(count)
    assert len(announced) == 1

    assert lost.status == ImportStatus.FAILED and lost.worker_lost
    assert "Nothing was written" not in lost.failure, lost.failure
    assert "after writing 3 steps of whole accounts" in lost.failure, lost.failure
    assert "Import the same file again to write the rest" in lost.failure, lost.failure
    stored.unlink()


# Real commits: a foreign key is checked when a step commits, not when a test ends.
@pytest.mark.django_db(transaction=True)
def test_a_deal_deleted_while_the_file_is_written_stops_the_import_saying_so(
    tmp_path, territory, small_steps, between_steps, run_import
):
    deal = won_deal("A10", "WON-A10")  # delivered by a new line of A10 (a later step)

    def delete_the_deal(step):
        if step == 0:
            opportunity_delete(opportunity=Opportunity.objects.get(pk=deal.pk))

    between_steps(delete_the_deal)
    code, report = run_import("sales", with_deals(tmp_path, {"N50": "WON-A10"}))

    stopped_while_writing(
        code,
        report,
        "1 opportunity that this file names was deleted while the file was being written.",
    )
    assert has_new_lines() and "A10" not in has_new_lines()
    lines = per_account(SaleLine.objects.all())
    assert lines == per_account(SalesMonth.objects.filter(from_opportunities=0))


def test_a_line_of_the_file_added_by_someone_else_meanwhile_stops_the_import_saying_so(
    tmp_path, territory, small_steps, between_steps, run_import
):
    def add_a_line_of_the_file_to_another_account(step):
        if step == 0:  # N55 is a new line of A11 in the file; someone adds it to A1
            sale_line_save(
                sale_line=SaleLine(
                    external_id="N55",
                    account=Account.objects.get(external_id="A1"),  # written
                    product=SaleLine.objects.first().product,
                    date=datetime.date(2026, 1, 20),
                    amount=Decimal("65.50"),
                )
            )

    between_steps(add_a_line_of_the_file_to_another_account)
    path = after_file(tmp_path)
    code, report = run_import("sales", path)

    stopped_while_writing(
        code,
        report,
        "1 sale line that this file adds was added by "
        "someone else, with the same external id, while the file was being written. ",
    )
    lines = per_account(SaleLine.objects.all())
    assert lines == per_account(SalesMonth.objects.filter(from_opportunities=0))

    code, report = run_import("sales", path)
    assert code == 0, report
    assert SaleLine.objects.get(external_id="N55").account.external_id == "A11"
    assert SaleLine.objects.count() == 10 * ACCOUNTS + 2
    assert_rollup_is_a_rebuilds()


def test_a_database_error_in_a_later_step_is_a_sentence_of_the_message(
    tmp_path, territory, small_steps, run_import, monkeypatch
):
    write_step = sales_kind.SalesKind.commit_step

    def full_at_the_third_step(self, step):
        if step == 2:  # as SQLite says when the disk is full
            raise OperationalError("database or disk is full")
        write_step(self, step)

    monkeypatch.setattr(sales_kind.SalesKind, "commit_step", full_at_the_third_step)
    code, report = run_import("sales", after_file(tmp_path))

    assert code == 2
    assert report["failure"].startswith(
        "The import stopped while writing: the database said: database or disk is full. "
        "17 of its 64 new and changed lines were written (whole accounts, in 2 of 7 steps); "
    ), report["failure"]
    # The stage is dropped: nothing of it is left in the connection's temporary tables.
    assert stage_tables() == []


def test_the_latest_month_moving_in_the_last_step_and_an_account_only_losing_lines(
    tmp_path, territory, small_steps, between_steps, run_import
):
    # A9 gets no new line and loses E45 to A0; the last step (A10 and A11) brings the
    # latest month forward to 2027-03, so every account's year totals move with it.
    lines = [
        line
        for line in after_file(tmp_path).read_text().splitlines(True)[1:]
        if ",A9," not in line or line.startswith("E")
    ]
    lines = [
        ("E45,A0,P1,2025-01-10,145.00\n" if line.startswith("E45,") else line) for line in lines
    ]
    lines.append("L1,A11,P0,2027-03-05,1000.00\n")
    path = write(tmp_path / "later.csv", HEADER + "".join(lines))
    latest = []
    between_steps(lambda step: latest.append(SalesMonth.objects.order_by("-month")[0].month))

    code, report = run_import("sales", path)

    assert code == 0, report
    assert latest[-1] == datetime.date(2027, 3, 1) and latest[-2] < latest[-1]
    assert not SaleLine.objects.filter(account__external_id="A9", external_id="E45").exists()
    assert_rollup_is_a_rebuilds()


def test_a_web_import_page_read_between_steps_says_which_step(
    tmp_path, territory, small_steps, between_steps, client
):
    """The whole way a person sees it: a sales file uploaded and queued on the web, run
    by the worker's service; the page, read between two steps, says which step it is
    writing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from keyplan.imports import services
    from keyplan.imports.models import ImportRun
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="olga", role="sales_ops"))
    upload = SimpleUploadedFile("after.csv", after_file(tmp_path).read_bytes())
    client.post("/imports/", {"kind": "sales", "file": upload})
    run = ImportRun.objects.get(file_name="after.csv")
    columns = ("external_id", "account", "product", "date", "amount")
    services.import_queue(
        run=run, mapping={c: c for c in columns}, dry_run=False, skip_invalid=False
    )
    seen = {}

    def read_the_page(step):
        if step == 1:
            html = client.get(run.get_absolute_url()).content.decode()
            seen["page"] = " ".join(re.sub(r"<[^>]+>", " ", html).split())

    between_steps(read_the_page)
    services.import_execute(run_id=run.pk)

    # The page was read after step 2 was written, while step 3 was about to begin.
    assert "checked; writing, step 2 of 7 · Running" in seen["page"], seen["page"]
    run.refresh_from_db()
    assert (run.status, run.write_steps) == ("done", 7)
