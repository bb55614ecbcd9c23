import csv
import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from keyplan.accounts.models import Account, Contact
from keyplan.people.models import User
from keyplan.plans import services
from tests.factories import ContactFactory, InteractionFactory
from tests.imports.test_salesforce import FILES

_CHECKSUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
TODAY = datetime.date.today()


def sf_id(prefix: str, n: int) -> str:
    """An 18-character Salesforce id, as Salesforce assigns them (valid checksum)."""
    base = f"{prefix}5g0000Kp{n:04d}"
    assert len(base) == 15
    tail = ""
    for chunk in (base[0:5], base[5:10], base[10:15]):
        tail += _CHECKSUM[sum(1 << i for i, ch in enumerate(chunk) if "A" <= ch <= "Z")]
    return base + tail


def write_folder(folder, files):
    folder.mkdir()
    for name, rows in files.items():
        with open(folder / name, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh, quoting=csv.QUOTE_ALL).writerows(rows)
    return folder


def read(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def export(folder, *args) -> str:
    err = StringIO()
    call_command("export", "salesforce", str(folder), *args, stderr=err)
    return err.getvalue()


@pytest.fixture
def crm(db, tmp_path):
    """The Salesforce export of tests.imports imported (Globex with two contacts, Sam
    its owner), then what a plan made in keyplan: an idea turned opportunity, an action
    with the CFO, a contact added on the map, a meeting logged; and a prospect keyplan
    made itself, without a Salesforce id, with a plan action of its own."""
    call_command("import", "salesforce", str(write_folder(tmp_path / "first", FILES)))
    sam = User.objects.get(username="sam@corp.example")
    globex = Account.objects.get(name="Globex Corporation")
    cfo = Contact.objects.get(email="cleo@globex.com")
    plan = services.plan_create(
        account=globex,
        user=sam,
        period_start=TODAY,
        period_end=TODAY + datetime.timedelta(days=364),
        revenue_goal=Decimal("1000000"),
        stretch_goal=Decimal("1500000"),
    )
    idea = services.element_save(
        kind="idea",
        plan=plan,
        user=sam,
        title="Predictive maintenance",
        annual_value=Decimal("250000"),
    )
    idea = services.idea_move(idea=idea, user=sam, stage="qualified")
    idea = services.idea_move(idea=idea, user=sam, stage="opportunity")
    action = services.element_save(
        kind="action",
        plan=plan,
        user=sam,
        title="Workshop with the CFO",
        owner=sam,
        due_date=TODAY + datetime.timedelta(days=30),
        effort_hours=Decimal("6"),
        contacts=[cfo],
    )
    mapped = ContactFactory(
        account=globex,
        external_id=None,
        first_name="Nora",
        last_name="Newman",
        title="Head of Operations",
        email="nora@globex.com",
    )
    meeting = InteractionFactory(account=globex, subject="Site visit", date=TODAY)
    meeting.contacts.set([cfo])
    meeting.participants.set([sam])

    class Made:
        pass

    made = Made()
    made.__dict__.update(
        sam=sam,
        globex=globex,
        cfo=cfo,
        plan=plan,
        idea=idea,
        action=action,
        mapped=mapped,
        meeting=meeting,
        opportunity=idea.opportunity,
    )
    return made
