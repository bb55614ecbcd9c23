"""A Salesforce folder is checked and prepared without holding the write lock, so someone
may save a record the folder updates in the meantime (a web edit of an account). Their
save is neither lost nor written over with what the folder read before it: the write
sees that the account changed, and the folder is prepared again against it — or, when
it keeps changing, nothing is imported and the import says why.

The save is made at the boundary between preparing the folder and writing it."""

import copy

import pytest

from keyplan.accounts.models import Account, Contact
from keyplan.accounts.services import account_update
from keyplan.imports import salesforce
from keyplan.imports.engine import ImportFailed
from keyplan.imports.salesforce import import_salesforce
from tests.imports.test_salesforce import FILES
from tests.imports.test_salesforce_folder import make_folder

pytestmark = pytest.mark.django_db


def folder(tmp_path, name, files):
    (tmp_path / name).mkdir()
    return make_folder(tmp_path / name, files)


def renamed_in_salesforce():
    """The export a week later: Globex Corporation is renamed, a contact has a new title."""
    files = copy.deepcopy(FILES)
    accounts = files["Account.csv"]
    name = accounts[0].index("Name")
    for row in accounts[1:]:
        if row[name] == "Globex Corporation":
            row[name] = "Globex Corp."
    contacts = files["Contact.csv"]
    title = contacts[0].index("Title")
    contacts[1][title] = "Chief Executive"
    return files


def save_while_preparing(monkeypatch, save, times):
    """Make ``save`` after each of the first ``times`` preparations, before the write."""
    prepare = salesforce._prepare_folder
    prepared = []

    def prepare_then_save(*args, **kwargs):
        result = prepare(*args, **kwargs)
        prepared.append(True)
        if len(prepared) <= times:
            save(len(prepared))
        return result

    monkeypatch.setattr(salesforce, "_prepare_folder", prepare_then_save)
    return prepared


def test_a_web_edit_made_while_the_folder_is_prepared_is_kept(tmp_path, monkeypatch):
    import_salesforce(folder(tmp_path, "first", FILES))
    globex = Account.objects.get(name="Globex Corporation")

    def web_edit(_n):
        account_update(account=Account.objects.get(pk=globex.pk), region="North America")

    prepared = save_while_preparing(monkeypatch, web_edit, times=1)
    reports = import_salesforce(folder(tmp_path, "second", renamed_in_salesforce()))

    assert all(r.ok and r.committed for r in reports)
    accounts = next(r for r in reports if r.file == "Account.csv")
    assert accounts.updated == 1
    globex.refresh_from_db()
    # The folder's rename and the web edit are both there, and the version moved past the
    # web edit's: an API client holding the version the web edit made must reload.
    assert globex.name == "Globex Corp."
    assert globex.region == "North America"
    assert globex.version == 3  # imported 1, web edit 2, the folder's rename 3
    assert len(prepared) == 2  # prepared again after the edit
    assert Contact.objects.filter(title="Chief Executive").count() == 1


def test_a_folder_whose_accounts_keep_changing_is_refused_in_words(tmp_path, monkeypatch):
    import_salesforce(folder(tmp_path, "first", FILES))
    globex = Account.objects.get(name="Globex Corporation")

    def web_edit(n):
        account_update(account=Account.objects.get(pk=globex.pk), region=f"Region {n}")

    save_while_preparing(monkeypatch, web_edit, times=salesforce.ATTEMPTS)
    with pytest.raises(ImportFailed) as failure:
        import_salesforce(folder(tmp_path, "second", renamed_in_salesforce()))

    message = str(failure.value)
    assert "Someone else changed account “Globex Corporation”" in message
    assert "Nothing was imported: import the folder again." in message
    globex.refresh_from_db()
    # Nothing of the folder was written; every web edit was.
    assert globex.name == "Globex Corporation"
    assert globex.region == f"Region {salesforce.ATTEMPTS}"
    assert globex.version == 1 + salesforce.ATTEMPTS
    assert not Contact.objects.filter(title="Chief Executive").exists()


def test_an_account_added_meanwhile_with_the_same_id_is_updated_not_doubled(tmp_path, monkeypatch):
    def typed_by_hand(_n):
        Account.objects.create(name="Globex (typed by hand)", external_id="0015g00000ParenAAB")

    save_while_preparing(monkeypatch, typed_by_hand, times=1)
    reports = import_salesforce(folder(tmp_path, "first", FILES))

    assert all(r.ok and r.committed for r in reports)
    globex = Account.objects.get(external_id="0015g00000ParenAAB")
    assert globex.name == "Globex Corporation"
    assert Account.objects.filter(name__startswith="Globex").count() == 2
    assert Account.objects.get(name="Globex Europe").parent == globex
