"""A Salesforce folder is planned before it is written: records it creates point at
each other by ids given at write time. A row may name a record further down its file
(a division before its parent), in another batch of the file."""

import pytest

from keyplan.accounts.models import Account, Contact
from keyplan.imports import engine
from keyplan.imports.salesforce import import_salesforce
from tests.imports.test_salesforce import FILES
from tests.imports.test_salesforce_folder import make_folder

pytestmark = pytest.mark.django_db


def test_a_division_before_its_parent_in_another_batch_is_linked(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "BATCH", 1)  # every row its own batch, written apart
    reports = import_salesforce(make_folder(tmp_path, FILES))

    assert all(r.ok and r.committed for r in reports)
    europe = Account.objects.get(name="Globex Europe")  # the first row, naming the second
    assert europe.parent.name == "Globex Corporation"
    assert europe.depth == 1
    for contact in Contact.objects.exclude(reports_to=None):
        assert contact.reports_to.account_id is not None
