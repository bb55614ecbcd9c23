"""--csv writes the territory in the canonical import format, and it imports cleanly."""

import csv
import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from keyplan.accounts.models import Account, Contact, Interaction
from keyplan.sales.models import Opportunity, SaleLine, SalesMonth
from tests.territory.conftest import read_csv, run_generate

pytestmark = pytest.mark.django_db

# The columns of the issue, exactly (not imported from the code: the format is a contract).
COLUMNS = {
    "accounts": "external_id,name,parent,industry,country,employees,annual_revenue,owner,website",
    "contacts": (
        "external_id,account,first_name,last_name,title,function,seniority,email,phone,reports_to"
    ),
    "products": "external_id,name,product_line,list_price,core",
    "sales": "external_id,account,product,date,amount,quantity",
    "opportunities": (
        "external_id,name,account,product,stage,amount,probability,created_date,close_date,owner"
    ),
    "users": "username,email,name,role,manager,team",
    "interactions": "external_id,date,kind,contacts,user,executive,notes",
}


def test_each_kind_has_its_file_with_the_canonical_columns(tmp_path):
    output = run_generate("--accounts", 40, "--csv", tmp_path)
    assert f"CSV files in {tmp_path}" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{k}.csv" for k in COLUMNS)
    for kind, header in COLUMNS.items():
        with open(tmp_path / f"{kind}.csv", encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert ",".join(rows[0]) == header, kind
        assert len(rows) > 1, kind
        assert all(len(row) == len(rows[0]) for row in rows), kind
    assert not Account.objects.exists()  # files only: the database is untouched


def test_every_reference_points_at_a_record_in_the_files(tmp_path):
    run_generate("--accounts", 40, "--csv", tmp_path)
    users = {u["username"] for u in read_csv(tmp_path, "users")}
    accounts = {a["external_id"]: a for a in read_csv(tmp_path, "accounts")}
    contacts = {c["external_id"]: c for c in read_csv(tmp_path, "contacts")}
    products = {p["external_id"] for p in read_csv(tmp_path, "products")}
    assert {"admin", "ops", "manager", "rep", "exec"} <= users
    assert all(a["parent"] in accounts for a in accounts.values() if a["parent"])
    assert {a["owner"] for a in accounts.values()} <= users
    for c in contacts.values():
        assert c["account"] in accounts
        if c["reports_to"]:
            assert contacts[c["reports_to"]]["account"] == c["account"]
    for s in read_csv(tmp_path, "sales"):
        assert s["account"] in accounts and s["product"] in products
        datetime.date.fromisoformat(s["date"])
    for o in read_csv(tmp_path, "opportunities"):
        assert o["account"] in accounts and o["product"] in products and o["owner"] in users
        assert o["created_date"] <= o["close_date"]
    for i in read_csv(tmp_path, "interactions"):
        people = i["contacts"].split(";")
        assert len({contacts[p]["account"] for p in people}) == 1  # one account's people
        assert i["user"] in users and i["executive"] in ("true", "false")


def test_the_files_import_into_an_empty_database_as_the_same_territory(tmp_path):
    run_generate("--accounts", 40, "--seed", 3, "--csv", tmp_path)
    for kind in (
        "users",
        "accounts",
        "products",
        "contacts",
        "opportunities",
        "sales",
        "interactions",
    ):
        out = StringIO()
        call_command("import", kind, str(tmp_path / f"{kind}.csv"), stdout=out)
        assert "0 rejected" in out.getvalue(), out.getvalue()
    assert Account.objects.count() == 40
    assert Account.objects.filter(depth__gte=1).count() == sum(
        1 for a in read_csv(tmp_path, "accounts") if a["parent"]
    )
    assert Contact.objects.filter(reports_to__isnull=False).count() == sum(
        1 for c in read_csv(tmp_path, "contacts") if c["reports_to"]
    )
    assert Interaction.objects.count() == len(read_csv(tmp_path, "interactions"))
    # Revenue is the sale lines plus the won deals, each counted once.
    sales = sum(Decimal(s["amount"]) for s in read_csv(tmp_path, "sales"))
    won = sum(
        Decimal(o["amount"])
        for o in read_csv(tmp_path, "opportunities")
        if o["stage"] == "Closed Won"
    )
    assert SaleLine.objects.count() == len(read_csv(tmp_path, "sales"))
    assert Opportunity.objects.filter(status="won").count() > 0
    total = SalesMonth.objects.aggregate(total=Sum("amount"))["total"]
    assert abs(total - (sales + won)) < Decimal("0.01")  # SQLite sums in floating point
