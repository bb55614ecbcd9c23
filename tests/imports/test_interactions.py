"""Interactions: contacts by external id or email, one account per interaction."""

import pytest

from keyplan.accounts.models import Interaction
from tests.factories import ContactFactory
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db


def test_import_without_ids_then_again_changes_nothing(tmp_path, run_import, org):
    ContactFactory(account=org.mine, external_id="K1", email="k1@mine.example")
    ContactFactory(account=org.mine, external_id="K2", email="k2@mine.example")
    path = write(
        tmp_path / "i.csv",
        "date,kind,contacts,user,executive,notes\n"
        "2026-01-05,Meeting,K1;k2@mine.example,rep,yes,Kick-off\n"
        "2026-02-05,phone call,K2,rep,no,Follow-up\n",
    )
    code, report = run_import("interactions", path)
    assert code == 0 and report["created"] == 2, report
    first = Interaction.objects.get(notes="Kick-off")
    assert first.account == org.mine and first.is_executive and first.kind == "meeting"
    assert sorted(c.external_id for c in first.contacts.all()) == ["K1", "K2"]
    assert [u.username for u in first.participants.all()] == ["rep"]
    code, report = run_import("interactions", path)
    assert (report["created"], report["unchanged"]) == (0, 2)


def test_contacts_at_two_accounts_are_refused(tmp_path, run_import, org):
    ContactFactory(account=org.mine, external_id="K1")
    ContactFactory(account=org.theirs, external_id="T1")
    path = write(tmp_path / "i.csv", "date,kind,contacts\n2026-01-05,call,K1;T1\n")
    code, report = run_import("interactions", path)
    assert code == 1 and "different accounts" in report["errors"][0]["message"]
    assert Interaction.objects.count() == 0
