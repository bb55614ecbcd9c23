"""Executive pairings: the last executive interaction between the pair, and a flag when
it is older than the agreed cadence (default quarterly) or there has been none."""

import datetime

import pytest

from keyplan.plans import services
from keyplan.plans.relationships import relationship_map
from tests.conftest import login
from tests.factories import ContactFactory, InteractionFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2027, 6, 30)


def _meet(org, day, *, contacts, people, executive=True):
    interaction = InteractionFactory(account=org.mine, date=day, is_executive=executive)
    interaction.contacts.set(contacts)
    interaction.participants.set(people)
    return interaction


def _row(plan):
    [row] = relationship_map(plan, today=TODAY).pairings
    return row


@pytest.fixture
def pairing(org, plan):
    return services.element_save(
        kind="pairing",
        plan=plan,
        user=org.rep,
        our_executive=org.executive,
        their_executive=org.cfo,
    )


def test_default_cadence_is_quarterly_and_no_meeting_is_overdue(org, plan, pairing):
    assert pairing.cadence_days == 91
    row = _row(plan)
    assert row.last_met is None and row.overdue
    assert row.status == "No executive meeting recorded yet"


def test_only_executive_meetings_of_the_pair_count(org, plan, pairing):
    other_exec = UserFactory(username="exec2", role="executive")
    someone = ContactFactory(account=org.mine)
    recent = TODAY - datetime.timedelta(days=10)
    _meet(org, recent, contacts=[org.cfo], people=[org.executive], executive=False)
    _meet(org, recent, contacts=[org.cfo], people=[other_exec])
    _meet(org, recent, contacts=[someone], people=[org.executive])
    _meet(
        org,
        TODAY - datetime.timedelta(days=120),
        contacts=[org.cfo, someone],
        people=[org.executive, other_exec],
    )
    row = _row(plan)
    assert row.last_met == TODAY - datetime.timedelta(days=120)
    assert row.overdue and row.days_overdue == 29
    assert row.status == "Overdue by 29 days"

    _meet(org, TODAY - datetime.timedelta(days=30), contacts=[org.cfo], people=[org.executive])
    row = _row(plan)
    assert row.last_met == TODAY - datetime.timedelta(days=30)
    assert not row.overdue
    assert row.due == TODAY + datetime.timedelta(days=61)


def test_cadence_decides_when_it_is_overdue(org, plan, pairing):
    _meet(org, TODAY - datetime.timedelta(days=40), contacts=[org.cfo], people=[org.executive])
    assert not _row(plan).overdue
    services.element_save(
        kind="pairing", plan=plan, user=org.rep, instance=pairing, cadence_days=30
    )
    assert _row(plan).overdue


def test_the_map_page_flags_the_overdue_pairing(client, org, plan, pairing):
    html = login(client, org.rep).get(f"/plans/{plan.pk}/map/").content.decode()
    assert 'data-testid="pairing-overdue"' in html
    assert "No executive meeting recorded yet" in html
    _meet(org, datetime.date.today(), contacts=[org.cfo], people=[org.executive])
    html = client.get(f"/plans/{plan.pk}/map/").content.decode()
    assert 'data-testid="pairing-overdue"' not in html
    assert 'data-testid="pairing-on-track"' in html


def test_pairings_are_added_and_removed_on_the_map(client, org, plan):
    login(client, org.rep)
    response = client.post(
        f"/plans/{plan.pk}/map/pairings/new/",
        {"our_executive": org.executive.pk, "their_executive": org.cio.pk, "cadence_days": 91},
    )
    assert response.status_code == 302
    [pairing] = plan.executive_pairings.all()
    assert pairing.their_executive == org.cio
    response = client.post(f"/plans/{plan.pk}/map/pairings/{pairing.pk}/delete/")
    assert response.status_code == 302
    assert not plan.executive_pairings.exists()


def test_a_rep_cannot_be_paired_as_our_executive(client, org, plan):
    login(client, org.rep)
    response = client.post(
        f"/plans/{plan.pk}/map/pairings/new/",
        {"our_executive": org.rep2.pk, "their_executive": org.cio.pk, "cadence_days": 91},
        HTTP_HX_REQUEST="true",
    )
    assert response["HX-Retarget"] == "#pairing-slot"
    assert "Select a valid choice" in response.content.decode()
    assert not plan.executive_pairings.exists()
