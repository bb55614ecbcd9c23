"""A sales import computes the roll-up of the accounts it touches before it takes the
write lock, and inside it only swaps those rows in and adds the won deals without sale
lines, read then. Whatever the file does — a first load, changed lines, lines that move
to another account or leave a deal, new accounts and months — every analysis must read
exactly what a roll-up rebuilt from scratch would give; and the import's history says
how long its final write kept other saves waiting."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template.defaultfilters import floatformat
from django.urls import reverse

from keyplan.imports.models import ImportRun
from keyplan.sales.models import SaleLine, SalesMonth, SalesYear
from keyplan.sales.rollup import rollup_refresh
from tests.factories import AccountFactory, OpportunityFactory, ProductFactory
from tests.imports.conftest import write
from tests.imports.test_sales_prepare_then_write import between_check_and_write  # noqa: F401

pytestmark = pytest.mark.django_db

HEADER = "external_id,account,product,date,amount,quantity,opportunity\n"
MONTHS = [datetime.date(2025, m, 1) for m in range(1, 13)] + [
    datetime.date(2026, m, 1) for m in range(1, 11)
]


@pytest.fixture
def territory(db):
    accounts = [AccountFactory(name=f"Account {i}", external_id=f"A{i}") for i in range(1, 4)]
    products = [ProductFactory(name=f"Product {i}", external_id=f"P{i}") for i in range(1, 3)]

    def won(ext, account, amount, close):
        return OpportunityFactory(
            external_id=ext,
            account=account,
            product=products[0],
            amount=Decimal(amount),
            stage="Closed Won",
            probability=100,
            created_date=datetime.date(2025, 1, 1),
            close_date=close,
        )

    # A won deal with no sale lines counts in the roll-up; one delivered by sale lines
    # in the file does not count twice; the third loses its only line in the update.
    won("O1", accounts[0], "9000", datetime.date(2026, 3, 20))
    won("O2", accounts[1], "7000", datetime.date(2025, 6, 10))
    won("O3", accounts[2], "5000", datetime.date(2026, 8, 5))
    return accounts, products


def first_load() -> str:
    """6,300 lines: enough for the first-load path (indexes built once at the end);
    several lines per account, product and month, so cells sum more than one line."""
    rows = []
    n = 0
    for a in range(1, 4):
        for p in range(1, 3):
            for month in MONTHS:
                for k in range(48):
                    n += 1
                    day = month.replace(day=1 + k % 28)
                    rows.append(f"S{n},A{a},P{p},{day},{10 + k % 7}.{k % 100:02d},{1 + k % 3},\n")
    rows.append("S-O2,A2,P1,2025-06-12,7000.00,1,O2\n")
    rows.append("S-O3,A3,P1,2026-08-06,5000.00,1,O3\n")
    return HEADER + "".join(rows)


def cells() -> dict:
    """What analyses read: amount, quantity and the part from deals per account, product
    and month (a cell may have a row per source: summed), and the default year."""
    months = {}
    for r in SalesMonth.objects.all():
        key = (r.account_id, r.product_id, r.month)
        amount, quantity, deals = months.get(key, (0, 0, 0))
        months[key] = (amount + r.amount, quantity + r.quantity, deals + r.from_opportunities)
    year = {}
    for r in SalesYear.objects.all():
        key = (r.account_id, r.product_id)
        year[key] = year.get(key, 0) + r.amount
    return {"months": months, "year": year}


def assert_as_if_rebuilt():
    after_import = cells()
    rollup_refresh()
    rebuilt = cells()
    assert after_import["months"] == rebuilt["months"]
    assert after_import["year"] == rebuilt["year"]
    assert after_import["months"]  # not trivially equal


def indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {
            name
            for name, info in connection.introspection.get_constraints(cursor, table).items()
            if info["index"] and not info["primary_key"]
        }


def test_a_first_load_gives_the_roll_up_a_rebuild_would(tmp_path, territory, run_import):
    before = {t: indexes(t) for t in ("sales_saleline", "sales_salesmonth")}
    code, report = run_import("sales", write(tmp_path / "sales.csv", first_load()))
    assert (code, report["created"]) == (0, 6338), report
    assert_as_if_rebuilt()
    accounts, products = territory
    # Deal O1 has no sale lines: it counts; O2 is delivered by a line: counted once.
    march = SalesMonth.objects.filter(
        account=accounts[0], product=products[0], month=datetime.date(2026, 3, 1)
    )
    assert sum(r.from_opportunities for r in march) == Decimal("9000.00")
    june = SalesMonth.objects.filter(
        account=accounts[1], product=products[0], month=datetime.date(2025, 6, 1)
    )
    assert sum(r.from_opportunities for r in june) == 0
    # The indexes dropped for the load were built again.
    assert {t: indexes(t) for t in before} == before


def test_an_update_with_new_accounts_months_and_moved_lines_gives_a_rebuilds_roll_up(
    tmp_path, territory, run_import
):
    accounts, products = territory
    run_import("sales", write(tmp_path / "sales.csv", first_load()))
    AccountFactory(name="Account 4", external_id="A4")
    update = HEADER + "".join(
        [
            "S1,A1,P1,2025-01-01,999.99,4,\n",  # changed amount and quantity
            "S2,A3,P2,2025-01-02,11.01,2,\n",  # moved from A1/P1 to A3/P2
            "S700,A1,P1,2026-10-09,1.00,1,\n",  # moved to another month
            "S-O3,A3,P1,2026-08-06,5000.00,1,\n",  # leaves deal O3: the deal counts again
            "S-O2,A2,P1,2025-06-12,7000.00,1,O2\n",  # unchanged
            "N1,A4,P1,2026-10-15,300.00,1,\n",  # a new account
            "N2,A2,P2,2026-11-03,40.00,1,\n",  # a new month for an existing account
            ",A4,P2,2026-11-04,25.00,1,\n",  # no external id: new lines, twice
            ",A4,P2,2026-11-04,25.00,1,\n",
        ]
    )
    code, report = run_import("sales", write(tmp_path / "update.csv", update))
    assert code == 0, report
    assert (report["created"], report["updated"], report["unchanged"]) == (4, 4, 1)
    assert_as_if_rebuilt()
    deal = SalesMonth.objects.filter(account=accounts[2], month=datetime.date(2026, 8, 1))
    assert sum(r.from_opportunities for r in deal) == Decimal("5000.00")
    new = SalesMonth.objects.get(account__external_id="A4", month=datetime.date(2026, 11, 1))
    assert (new.amount, new.quantity) == (Decimal("50.00"), Decimal("2.00"))
    # The roll-up's latest month moved to November 2026: the default year followed it.
    assert SalesYear.objects.filter(account__external_id="A4").count() == 2


def test_a_deal_won_while_the_file_was_checked_is_in_the_roll_up(
    tmp_path,
    territory,
    run_import,
    between_check_and_write,  # noqa: F811
):
    accounts, products = territory
    late = []
    between_check_and_write(
        lambda: late.append(
            OpportunityFactory(
                external_id="O9",
                account=accounts[0],
                product=products[1],
                amount=Decimal("1234.00"),
                stage="Closed Won",
                probability=100,
                created_date=datetime.date(2025, 1, 1),
                close_date=datetime.date(2026, 9, 30),
            )
        )
    )
    code, report = run_import("sales", write(tmp_path / "sales.csv", first_load()))
    assert code == 0, report
    assert late and SaleLine.objects.count() == 6338
    cell = SalesMonth.objects.filter(
        account=accounts[0], product=products[1], month=datetime.date(2026, 9, 1)
    )
    assert sum(r.from_opportunities for r in cell) == Decimal("1234.00")
    assert_as_if_rebuilt()


def test_the_history_says_how_long_other_saves_waited_for_the_final_write(
    tmp_path, territory, run_import, client, django_user_model
):
    code, report = run_import("sales", write(tmp_path / "sales.csv", first_load()))
    assert code == 0
    assert 0 < report["write_lock_seconds"] < report["seconds"]
    run = ImportRun.objects.get(kind="sales")
    assert run.write_lock_seconds == report["write_lock_seconds"]
    admin = django_user_model.objects.create_user("ada", password="x", role="admin")
    client.force_login(admin)
    page = client.get(reverse("import_detail", args=[run.pk])).content.decode()
    # Rounded as the page rounds (half up), not as Python's format does (half to even).
    assert f"{floatformat(run.seconds, 1)} s, of which other saves had to wait " in page
    assert f"wait {floatformat(run.write_lock_seconds, 1)} s (the final write)." in page


def test_files_that_rewrite_most_of_the_roll_up_give_a_rebuilds_roll_up(
    tmp_path, territory, run_import
):
    """5,060 cells, one line each: the first load and then an update touching every
    account both rewrite most of the roll-up (its indexes are built again at the end)."""
    for i in range(4, 116):
        AccountFactory(name=f"Account {i}", external_id=f"A{i}")
    before = indexes("sales_salesmonth")

    def lines(extra: str) -> str:
        return HEADER + "".join(
            f"S{a}-{p}-{m:%Y%m},A{a},P{p},{m},{a}.{p}{extra},1,\n"
            for a in range(1, 116)
            for p in (1, 2)
            for m in MONTHS
        )

    code, report = run_import("sales", write(tmp_path / "first.csv", lines("0")))
    assert (code, report["created"]) == (0, 5060), report
    assert_as_if_rebuilt()
    assert indexes("sales_salesmonth") == before
    code, report = run_import("sales", write(tmp_path / "update.csv", lines("7")))
    assert (code, report["updated"]) == (0, 5060), report
    assert_as_if_rebuilt()
    assert indexes("sales_salesmonth") == before
    assert SalesMonth.objects.get(
        account__external_id="A5", product__external_id="P2", month=MONTHS[0]
    ).amount == Decimal("5.27")
