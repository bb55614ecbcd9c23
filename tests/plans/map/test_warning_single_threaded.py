"""Single-threaded accounts: only one contact has any relationship with us, or one of
our people holds every medium or strong relationship."""

import pytest

from keyplan.accounts.choices import RelationshipStrength
from keyplan.plans.relationships import map_warnings
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _single(plan):
    return [w for w in map_warnings(plan) if w.kind == "single_threaded"]


def _relate(contact, strength, owner):
    contact.relationship_strength = strength
    contact.relationship_owner = owner
    contact.save()


def test_only_one_contact_with_any_relationship(org, plan):
    assert _single(plan) == []  # no relationship at all is not "single-threaded"
    _relate(org.cfo, RelationshipStrength.WEAK, None)
    [warning] = _single(plan)
    assert warning.contacts == [org.cfo]
    assert "Clara Finance is the only contact we have any relationship with" in warning.text

    _relate(org.cio, RelationshipStrength.WEAK, None)
    assert _single(plan) == []


def test_one_of_our_people_holds_every_strong_relationship(org, plan):
    _relate(org.cfo, RelationshipStrength.STRONG, org.rep)
    _relate(org.cio, RelationshipStrength.MEDIUM, org.rep)
    ContactFactory(account=org.mine, relationship_strength=RelationshipStrength.WEAK)
    [warning] = _single(plan)
    assert f"{org.rep} holds every medium or strong relationship (2 contacts)" in warning.text
    assert set(warning.contacts) == {org.cfo, org.cio}

    _relate(org.cio, RelationshipStrength.MEDIUM, org.manager)
    assert _single(plan) == []
