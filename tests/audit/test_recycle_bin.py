"""The recycle bin: who sees what, restore that refuses with a reason, purge after 30
days, and plan parts restored into their plan."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from keyplan.accounts.deletion import account_delete, contact_delete
from keyplan.accounts.models import Contact
from keyplan.audit.models import AuditEvent, DeletedRecord
from keyplan.plans import services
from keyplan.plans.models import CustomerGoal
from tests.conftest import login
from tests.factories import ContactFactory
from tests.plans.conftest import plan  # noqa: F401

pytestmark = pytest.mark.django_db


def test_each_user_sees_what_they_deleted_and_ops_see_everything(org, client):
    ContactFactory(account=org.mine, first_name="Mina", last_name="Mine")
    ContactFactory(account=org.teammate, first_name="Tess", last_name="Mate")
    for contact in list(org.mine.contacts.all()):
        contact_delete(contact=contact, user=org.rep)
    for contact in list(org.teammate.contacts.all()):
        contact_delete(contact=contact, user=org.rep2)

    rep_page = login(client, org.rep).get("/recycle-bin/").content.decode()
    assert "Mina Mine" in rep_page and "Tess Mate" not in rep_page
    other = DeletedRecord.objects.get(object_label="Tess Mate")
    assert client.post(f"/recycle-bin/{other.pk}/restore/").status_code == 404

    ops_page = login(client, org.ops).get("/recycle-bin/").content.decode()
    assert "Mina Mine" in ops_page and "Tess Mate" in ops_page


def test_restore_is_refused_with_a_sentence_when_the_parent_is_gone(org, client):
    account_id = org.teammate.pk
    contact = ContactFactory(account=org.teammate, first_name="Olga", last_name="Orphan")
    contact_delete(contact=contact, user=org.ops)
    account_delete(account=org.teammate, user=org.ops)

    web = login(client, org.ops)
    record = DeletedRecord.objects.get(object_label="Olga Orphan")
    page = web.post(f"/recycle-bin/{record.pk}/restore/", follow=True).content.decode()
    assert "Olga Orphan cannot be restored: its account" in page
    assert "no longer exists" in page
    assert DeletedRecord.objects.filter(pk=record.pk).exists(), "kept for a later restore"

    account = DeletedRecord.objects.get(object_label="Teammate Corp")
    web.post(f"/recycle-bin/{account.pk}/restore/")
    page = web.post(f"/recycle-bin/{record.pk}/restore/", follow=True).content.decode()
    assert "Olga Orphan was restored." in page
    assert Contact.objects.get(account_id=account_id).last_name == "Orphan"


def test_a_deleted_plan_part_comes_back_into_its_plan(org, plan, client):  # noqa: F811
    goal = services.element_save(
        kind="goal", plan=plan, user=org.rep, level="personal", title="Get promoted"
    )
    goal.contacts.set([org.cfo])
    services.element_delete(kind="goal", plan=plan, user=org.rep, instance=goal)
    assert not CustomerGoal.objects.filter(pk=goal.pk).exists()

    web = login(client, org.rep)
    record = DeletedRecord.objects.get()
    assert "Get promoted" in web.get("/recycle-bin/").content.decode()
    web.post(f"/recycle-bin/{record.pk}/restore/")
    restored = CustomerGoal.objects.get(pk=goal.pk)
    assert (restored.plan_id, restored.title) == (plan.pk, "Get promoted")
    assert list(restored.contacts.all()) == [org.cfo]


def test_purge_deleted_removes_what_is_older_than_30_days(org):
    old = ContactFactory(account=org.mine, first_name="Old", last_name="One")
    new = ContactFactory(account=org.mine, first_name="New", last_name="One")
    contact_delete(contact=old, user=org.ops)
    contact_delete(contact=new, user=org.ops)
    DeletedRecord.objects.filter(object_label="Old One").update(
        deleted_at=timezone.now() - datetime.timedelta(days=31)
    )
    out = StringIO()
    call_command("purge_deleted", stdout=out)
    assert "Purged 1 record deleted more than 30 days ago" in out.getvalue()
    assert list(DeletedRecord.objects.values_list("object_label", flat=True)) == ["New One"]
    assert AuditEvent.objects.filter(action="purged").exists()


def test_purge_deleted_keeps_what_is_younger_than_30_days(org):
    recent = ContactFactory(account=org.mine, first_name="Recent", last_name="One")
    contact_delete(contact=recent, user=org.ops)
    DeletedRecord.objects.filter(object_label="Recent One").update(
        deleted_at=timezone.now() - datetime.timedelta(days=29)
    )
    out = StringIO()
    call_command("purge_deleted", stdout=out)
    assert "Purged 0 records deleted more than 30 days ago" in out.getvalue()
    assert list(DeletedRecord.objects.values_list("object_label", flat=True)) == ["Recent One"]
