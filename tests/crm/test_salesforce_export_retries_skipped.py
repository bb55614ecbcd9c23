"""A record the last export skipped (its account had no Salesforce id yet) goes in the
next export once the account has its id, although the record itself has not changed:
skipped.csv says "import the account … and export again", and that must work."""

import pytest
from django.utils import timezone

from keyplan.accounts.models import Account
from keyplan.crm.models import SalesforceExport
from tests.crm.conftest import export, read, sf_id
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_a_skipped_contact_goes_in_the_next_export_once_its_account_has_an_id(crm, tmp_path):
    prospect = AccountFactory(name="Initech Prospect", external_id=None)
    ContactFactory(account=prospect, external_id=None, first_name="Peter", last_name="Gibbons")

    export(tmp_path / "out1")
    assert [r["LastName"] for r in read(tmp_path / "out1" / "Contact.csv")] == ["Newman"]
    skipped = read(tmp_path / "out1" / "skipped.csv")
    assert [r["name"] for r in skipped] == ["Peter Gibbons"]
    assert "import the account from Salesforce" in skipped[0]["reason"]

    # The next Salesforce import gives the account its id; the contact is untouched.
    account_id = sf_id("001", 77)
    Account.objects.filter(pk=prospect.pk).update(external_id=account_id)
    SalesforceExport.objects.update(at=timezone.now())

    said = export(tmp_path / "out2")
    assert "changes since" in said
    rows = read(tmp_path / "out2" / "Contact.csv")
    assert [(r["LastName"], r["AccountId"]) for r in rows] == [("Gibbons", account_id)]
    assert read(tmp_path / "out2" / "skipped.csv") == []

    # Sent once it could be: the export after that has nothing left to retry.
    export(tmp_path / "out3")
    assert read(tmp_path / "out3" / "Contact.csv") == []


def test_a_record_skipped_again_is_carried_to_the_export_after(crm, tmp_path):
    prospect = AccountFactory(name="Initech Prospect", external_id=None)
    ContactFactory(account=prospect, external_id=None, first_name="Peter", last_name="Gibbons")
    export(tmp_path / "out1")
    export(tmp_path / "out2")
    assert [r["name"] for r in read(tmp_path / "out2" / "skipped.csv")] == ["Peter Gibbons"]
    Account.objects.filter(pk=prospect.pk).update(external_id=sf_id("001", 78))
    export(tmp_path / "out3")
    assert [r["LastName"] for r in read(tmp_path / "out3" / "Contact.csv")] == ["Gibbons"]
