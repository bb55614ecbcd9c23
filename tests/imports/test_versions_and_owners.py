"""Imports and the API's optimistic locking: a row an import changes gets a new version
(an API client holding the old one must reload), an unchanged row keeps its own; and an
opportunity's owner must be someone who sees its account."""

import csv

import pytest

from keyplan.accounts.models import Account
from keyplan.sales.models import Opportunity, SaleLine
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db


def test_reimported_changes_count_the_version_up(tmp_path, run_import, org, catalogue):
    accounts = "external_id,name,industry\nA1,Alpha,Retail\nA2,Beta,Mining\n"
    run_import("accounts", write(tmp_path / "a.csv", accounts))
    changed = accounts.replace("Alpha,Retail", "Alpha,Utilities")
    run_import("accounts", write(tmp_path / "b.csv", changed))
    versions = dict(Account.objects.values_list("external_id", "version"))
    assert (versions["A1"], versions["A2"]) == (2, 1)

    sales = "external_id,account,product,date,amount\nS1,A1,P1,2025-01-05,100\n"
    run_import("sales", write(tmp_path / "s.csv", sales))
    run_import("sales", write(tmp_path / "t.csv", sales.replace(",100\n", ",120\n")))
    assert SaleLine.objects.get(external_id="S1").version == 2

    deals = (
        "external_id,name,account,stage,amount,close_date\nO1,Deal,A1,Negotiation,10,2026-06-30\n"
    )
    run_import("opportunities", write(tmp_path / "o.csv", deals))
    run_import("opportunities", write(tmp_path / "p.csv", deals.replace(",10,", ",20,")))
    assert Opportunity.objects.get(external_id="O1").version == 2


def test_a_stale_api_change_after_an_import_is_refused(
    tmp_path, run_import, org, catalogue, api_client
):
    run_import("accounts", write(tmp_path / "a.csv", "external_id,name\nA1,Alpha\n"))
    account = Account.objects.get(external_id="A1")
    run_import("accounts", write(tmp_path / "b.csv", "external_id,name\nA1,Alpha AG\n"))
    api_client.force_authenticate(org.ops)
    response = api_client.patch(
        f"/api/v1/accounts/{account.pk}/", {"name": "Alpha Ltd", "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert Account.objects.get(pk=account.pk).name == "Alpha AG"


def test_an_opportunity_owner_who_cannot_see_the_account_is_rejected(tmp_path, run_import, org):
    path = write(
        tmp_path / "opps.csv",
        "external_id,name,account,stage,amount,close_date,owner\n"
        f"O1,Seen,{org.mine.external_id},Negotiation,10,2026-06-30,rep\n"
        f"O2,Unseen,{org.mine.external_id},Negotiation,10,2026-06-30,other\n",
    )
    rejects = tmp_path / "rejected.csv"
    code, report = run_import("opportunities", path, "--skip-invalid", "--rejects", rejects)
    assert code == 1 and report["created"] == 1 and report["rejected"] == 1
    assert list(Opportunity.objects.values_list("name", flat=True)) == ["Seen"]
    rows = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert rows[0]["name"] == "Unseen"
    assert "owner" in rows[0]["error"]
    assert f"cannot see the account “{org.mine.external_id}”" in rows[0]["error"]
