"""Account hierarchies and reporting lines: forward references, cycles, visibility."""

import pytest

from keyplan.accounts.models import Account, Contact
from tests.factories import AccountFactory
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db


def test_children_may_come_before_their_parent_and_visibility_follows(
    tmp_path, run_import, org, client
):
    path = write(
        tmp_path / "accounts.csv",
        "external_id,name,parent,owner\n"
        "D1,Division One,G1,\n"
        "B1,Budget Centre,D1,\n"
        "G1,Global Group,,rep\n",
    )
    code, report = run_import("accounts", path)
    assert code == 0, report
    budget = Account.objects.get(external_id="B1")
    assert budget.parent.external_id == "D1" and budget.depth == 2
    client.force_login(org.rep)  # owns the group, so sees everything under it
    assert client.get(f"/accounts/{budget.pk}/").status_code == 200


def test_cycles_in_the_file_are_rejected(tmp_path, run_import):
    path = write(
        tmp_path / "accounts.csv",
        "external_id,name,parent\nA,Alpha,C\nB,Beta,A\nC,Gamma,B\nD,Delta,\n",
    )
    code, report = run_import("accounts", path)
    assert code == 1
    assert sorted(e["row"] for e in report["errors"]) == [2, 3, 4]
    assert all("cycle" in e["message"] for e in report["errors"])
    assert Account.objects.count() == 0


def test_cycle_through_the_database_is_rejected(tmp_path, run_import):
    top = AccountFactory(external_id="TOP", name="Top")
    AccountFactory(external_id="MID", name="Mid", parent=top)
    path = write(tmp_path / "accounts.csv", "external_id,name,parent\nTOP,Top,MID\n")
    code, report = run_import("accounts", path)
    assert code == 1 and "cycle" in report["errors"][0]["message"]
    assert Account.objects.get(external_id="TOP").parent is None


def test_moving_a_subtree_by_import(tmp_path, run_import):
    a = AccountFactory(external_id="A", name="A")
    b = AccountFactory(external_id="B", name="B")
    child = AccountFactory(external_id="A1", name="A1", parent=a)
    AccountFactory(external_id="A11", name="A11", parent=child)
    code, report = run_import(
        "accounts", write(tmp_path / "m.csv", "external_id,name,parent\nA1,A1,B\n")
    )
    assert code == 0 and report["updated"] == 1
    grandchild = Account.objects.get(external_id="A11")
    assert grandchild.depth == 2
    assert set(
        Account.objects.filter(pk__in=_ancestors(grandchild)).values_list("external_id", flat=True)
    ) == {"B", "A1", "A11"}
    assert b.pk in _ancestors(grandchild)


def _ancestors(account):
    from keyplan.accounts.models import AccountLineage

    return set(
        AccountLineage.objects.filter(descendant=account).values_list("ancestor_id", flat=True)
    )


def test_reporting_line_cycle_is_rejected(tmp_path, run_import, org):
    acc = org.mine.external_id
    path = write(
        tmp_path / "contacts.csv",
        "external_id,account,last_name,email,reports_to\n"
        f"K1,{acc},Ceo,ceo@c.com,\n"
        f"K2,{acc},Cio,cio@c.com,K3\n"
        f"K3,{acc},Dev,dev@c.com,cio@c.com\n",
    )
    code, report = run_import("contacts", path)
    assert code == 1 and {e["row"] for e in report["errors"]} == {3, 4}
    assert Contact.objects.count() == 0


def test_reporting_lines_by_external_id_or_email(tmp_path, run_import, org):
    acc = org.mine.external_id
    path = write(
        tmp_path / "contacts.csv",
        "external_id,account,name,email,reports_to\n"
        f"K2,{acc},Ada Cio,cio@c.com,ceo@c.com\n"
        f"K3,{acc},Bob Dev,dev@c.com,K2\n"
        f"K1,{acc},Eve Ceo,ceo@c.com,\n",
    )
    code, report = run_import("contacts", path)
    assert code == 0, report
    dev = Contact.objects.get(external_id="K3")
    assert dev.first_name == "Bob" and dev.last_name == "Dev"
    assert dev.reports_to.reports_to.last_name == "Ceo"
