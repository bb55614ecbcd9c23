"""The same seed and options give the same territory: byte for byte in CSV, and the same
records in the database as in the files."""

import hashlib
from decimal import Decimal

import pytest

from keyplan.accounts.models import Account, Contact
from keyplan.sales.models import Opportunity, SaleLine
from tests.territory.conftest import read_csv, run_generate

pytestmark = pytest.mark.django_db

KINDS = ("users", "accounts", "contacts", "products", "sales", "opportunities", "interactions")


def digests(folder) -> dict[str, str]:
    return {
        kind: hashlib.sha256((folder / f"{kind}.csv").read_bytes()).hexdigest() for kind in KINDS
    }


def test_same_seed_gives_identical_files_another_seed_another_territory(tmp_path):
    run_generate("--accounts", 50, "--seed", 7, "--csv", tmp_path / "a")
    run_generate("--accounts", 50, "--seed", 7, "--csv", tmp_path / "b")
    run_generate("--accounts", 50, "--seed", 8, "--csv", tmp_path / "c")
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    other = digests(tmp_path / "c")
    for kind in ("accounts", "contacts", "sales", "opportunities", "interactions"):
        assert digests(tmp_path / "a")[kind] != other[kind], kind


def test_the_database_holds_the_same_territory_as_the_files(tmp_path):
    run_generate("--accounts", 50, "--seed", 5, "--csv", tmp_path)
    run_generate("--accounts", 50, "--seed", 5, "--no-plans")  # plans add opportunities

    in_files = [
        (a["external_id"], a["name"], a["parent"], a["owner"], a["employees"])
        for a in read_csv(tmp_path, "accounts")
    ]
    in_db = [
        (
            a.external_id,
            a.name,
            a.parent.external_id if a.parent else "",
            a.owner.username,
            str(a.employees),
        )
        for a in Account.objects.select_related("parent", "owner").order_by("external_id")
    ]
    assert in_db == in_files

    contacts = {c["external_id"]: c["reports_to"] for c in read_csv(tmp_path, "contacts")}
    assert {
        c.external_id: c.reports_to.external_id if c.reports_to else ""
        for c in Contact.objects.select_related("reports_to")
    } == contacts

    sales = read_csv(tmp_path, "sales")
    assert SaleLine.objects.count() == len(sales)
    assert sum(s.amount for s in SaleLine.objects.all()) == sum(Decimal(s["amount"]) for s in sales)
    assert sorted(Opportunity.objects.values_list("external_id", "stage", "amount")) == sorted(
        (o["external_id"], o["stage"], Decimal(o["amount"]))
        for o in read_csv(tmp_path, "opportunities")
    )
