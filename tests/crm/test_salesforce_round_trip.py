"""The Salesforce files round-trip: export → Salesforce loads them and gives each record
an Id → its next export is imported as a Salesforce folder → nothing is duplicated,
each record keyplan made keeps the Salesforce Id it got, and the next export updates
rather than inserts."""

import copy
from io import StringIO

import pytest
from django.core.management import call_command

from keyplan.accounts.models import Contact
from keyplan.crm.models import SalesforceId
from keyplan.plans.models import Action
from keyplan.sales.models import Opportunity
from tests.crm.conftest import TODAY, export, read, sf_id, write_folder
from tests.imports.test_salesforce import FILES

pytestmark = pytest.mark.django_db


def salesforce_after_load(sent, tmp_path):
    """Salesforce's next export: what it had, plus the records Data Loader inserted from
    ``sent`` (each with a new 18-character Id and its Keyplan_Id__c), with all the
    columns Salesforce's export has."""
    files = copy.deepcopy(FILES)
    ids = {}
    for name in ("Opportunity.csv", "Contact.csv"):
        files[name][0].append("Keyplan_Id__c")
        for row in files[name][1:]:
            row.append("")
    header = files["Opportunity.csv"][0]
    for n, row in enumerate(read(sent / "Opportunity.csv"), start=1):
        ids[row["Keyplan_Id__c"]] = sf_id("006", n)
        values = {
            **row,
            "Id": ids[row["Keyplan_Id__c"]],
            "IsDeleted": "false",
            "IsClosed": "false",
            "IsWon": "false",
            "Type": "New Business",
            "CreatedDate": f"{TODAY.isoformat()}T09:00:00.000Z",
        }
        files["Opportunity.csv"].append([values.get(c, "") for c in header])
    header = files["Contact.csv"][0]
    for n, row in enumerate(read(sent / "Contact.csv"), start=1):
        ids[row["Keyplan_Id__c"]] = sf_id("003", n)
        values = {
            **row,
            "Id": ids[row["Keyplan_Id__c"]],
            "IsDeleted": "false",
            "Name": f"{row['FirstName']} {row['LastName']}",
        }
        files["Contact.csv"].append([values.get(c, "") for c in header])
    for name, prefix in (("Task.csv", "00T"), ("Event.csv", "00U")):
        rows = read(sent / name)
        header = ["Id", "IsDeleted", "Keyplan_Id__c", "Subject", "ActivityDate", "OwnerId"]
        files[name] = [header]
        for n, row in enumerate(rows, start=1):
            ids[row["Keyplan_Id__c"]] = sf_id(prefix, n)
            values = {**row, "Id": ids[row["Keyplan_Id__c"]], "IsDeleted": "false"}
            files[name].append([values.get(c, "") for c in header])
    return write_folder(tmp_path / "salesforce-next", files), ids


def test_export_import_export_keeps_ids_and_duplicates_nothing(crm, tmp_path):
    export(tmp_path / "out1", "--since", "all")
    sent = tmp_path / "out1"
    assert [r["Keyplan_Id__c"] for r in read(sent / "Opportunity.csv")] == [
        f"kp-opportunity-{crm.opportunity.pk}"
    ]
    assert all(
        not r["Id"]
        for name in ("Opportunity.csv", "Contact.csv", "Task.csv")
        for r in read(sent / name)
    )
    opportunities, contacts = Opportunity.objects.count(), Contact.objects.count()

    folder, ids = salesforce_after_load(sent, tmp_path)
    call_command("import", "salesforce", str(folder))

    assert (Opportunity.objects.count(), Contact.objects.count()) == (opportunities, contacts)
    crm.opportunity.refresh_from_db()
    crm.mapped.refresh_from_db()
    assert crm.opportunity.external_id == ids[f"kp-opportunity-{crm.opportunity.pk}"]
    assert crm.opportunity.name == "Predictive maintenance"
    assert crm.mapped.external_id == ids[f"kp-contact-{crm.mapped.pk}"]
    assert (
        SalesforceId.objects.get(kind="action", record_id=crm.action.pk).salesforce_id
        == (ids[f"kp-action-{crm.action.pk}"])
    )

    # The same Salesforce export imported again: still nothing new.
    call_command("import", "salesforce", str(folder))
    assert (Opportunity.objects.count(), Contact.objects.count()) == (opportunities, contacts)

    export(tmp_path / "out2", "--since", "all")
    again = tmp_path / "out2"
    assert [(r["Id"], r["Keyplan_Id__c"]) for r in read(again / "Opportunity.csv")] == [
        (crm.opportunity.external_id, f"kp-opportunity-{crm.opportunity.pk}")
    ]
    assert [(r["Id"], r["LastName"]) for r in read(again / "Contact.csv")] == [
        (crm.mapped.external_id, "Newman")
    ]
    tasks = {r["Keyplan_Id__c"]: r["Id"] for r in read(again / "Task.csv")}
    assert tasks[f"kp-action-{crm.action.pk}"] == ids[f"kp-action-{crm.action.pk}"]
    events = {r["Keyplan_Id__c"]: r["Id"] for r in read(again / "Event.csv")}
    assert events == {f"kp-interaction-{crm.meeting.pk}": ids[f"kp-interaction-{crm.meeting.pk}"]}
    readme = (again / "README.txt").read_text()
    assert (
        "2. Opportunity.csv  Upsert Opportunity  on Keyplan_Id__c: 1 row (0 new records, 1 update)"
        in readme
    )


def test_a_row_that_would_duplicate_a_record_is_refused_with_the_reason(crm, tmp_path):
    export(tmp_path / "out1", "--since", "all")
    folder, ids = salesforce_after_load(tmp_path / "out1", tmp_path)
    # The opportunity keyplan made was meanwhile imported under another Salesforce id.
    Opportunity.objects.filter(pk=crm.opportunity.pk).update(external_id=sf_id("006", 99))
    before = Opportunity.objects.count()
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("import", "salesforce", str(folder), stdout=out)
    said = " ".join(out.getvalue().split())
    assert (
        f"Keyplan_Id__c “kp-opportunity-{crm.opportunity.pk}”: names keyplan opportunity "
        f"{crm.opportunity.pk} (“Predictive maintenance”), which is Salesforce's "
        f"{sf_id('006', 99)}, not {ids[f'kp-opportunity-{crm.opportunity.pk}']}"
    ) in said
    assert Opportunity.objects.count() == before
    assert not SalesforceId.objects.exists()
    assert Action.objects.filter(pk=crm.action.pk).exists()


def test_with_skip_invalid_the_refused_row_is_left_out_and_the_rest_is_learned(crm, tmp_path):
    export(tmp_path / "out1", "--since", "all")
    folder, ids = salesforce_after_load(tmp_path / "out1", tmp_path)
    Opportunity.objects.filter(pk=crm.opportunity.pk).update(external_id=sf_id("006", 99))
    before = Opportunity.objects.count()
    with pytest.raises(SystemExit):  # the exit code says a row was rejected
        call_command("import", "salesforce", str(folder), "--skip-invalid", stdout=StringIO())
    assert Opportunity.objects.count() == before
    assert not Opportunity.objects.filter(external_id=ids[f"kp-opportunity-{crm.opportunity.pk}"])
    crm.mapped.refresh_from_db()
    assert crm.mapped.external_id == ids[f"kp-contact-{crm.mapped.pk}"]
