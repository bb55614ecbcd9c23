"""The ask form offers the company's executives (who see every account, so each reads
the briefing), each with their title, and the customer's people with theirs: not the
asker, and not the owner's manager or any other manager at large — only a manager the
pairing asked from already pairs with the customer's leader."""

import re

import pytest

from keyplan.plans import services
from tests.factories import UserFactory
from tests.plans.test_executive_meeting_requests import paired  # noqa: F401

pytestmark = pytest.mark.django_db


def _choices(html: str, name: str) -> list[str]:
    if name == "executive":
        select = re.search(r'<select name="executive".*?</select>', html, re.S).group(0)
        return [
            " ".join(label.split())
            for value, label in re.findall(r'<option value="(\d*)"[^>]*>(.*?)</option>', select)
            if value
        ]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", label).split())
        for label in re.findall(r'<label for="id_contacts_\d+">(.*?)</label>', html, re.S)
    ]


@pytest.fixture
def leaders(paired):  # noqa: F811
    paired.executive.title = "Chief Revenue Officer"
    paired.executive.save()
    UserFactory(
        username="cfo", role="executive", first_name="Finn", last_name="Ahlberg", title="CFO"
    )
    UserFactory(
        username="gone", role="executive", first_name="Old", last_name="Boss", is_active=False
    )
    UserFactory(username="other-manager", role="manager", first_name="Mo", last_name="Nager")
    paired.manager.first_name, paired.manager.last_name = "Max", "Manager"
    paired.manager.save()
    paired.cfo_contact = paired.ceo.__class__.objects.create(
        account=paired.mine, first_name="Jana", last_name="Castro", title="CFO"
    )
    return paired


def test_the_rep_is_offered_the_executives_with_their_titles(leaders, client):
    client.force_login(leaders.rep)
    html = client.get(f"/plans/{leaders.plan.pk}/executive-meetings/new/").content.decode()
    assert _choices(html, "executive") == [
        "Finn Ahlberg (CFO)",
        "Eve Ekman (Chief Revenue Officer)",
    ]
    assert _choices(html, "contacts") == ["Jana Castro (CFO)", "Carl Chief (CEO)"]


def test_the_manager_asking_is_not_offered_to_themselves(leaders, client):
    client.force_login(leaders.manager)
    html = client.get(f"/plans/{leaders.plan.pk}/executive-meetings/new/").content.decode()
    offered = _choices(html, "executive")
    assert "Max Manager" not in " ".join(offered) and "Mo Nager" not in " ".join(offered)
    assert offered == ["Finn Ahlberg (CFO)", "Eve Ekman (Chief Revenue Officer)"]


def test_asking_from_a_pairing_with_a_manager_offers_that_manager(leaders, client):
    from keyplan.people.models import User

    nager = User.objects.get(username="other-manager")
    pairing = services.element_save(
        kind="pairing",
        plan=leaders.plan,
        user=leaders.rep,
        our_executive=nager,
        their_executive=leaders.cfo_contact,
        cadence_days=91,
    )
    client.force_login(leaders.rep)
    url = f"/plans/{leaders.plan.pk}/executive-meetings/new/?pairing={pairing.pk}"
    html = client.get(url).content.decode()
    assert "Mo Nager" in _choices(html, "executive")
    assert re.search(rf'<option value="{nager.pk}" selected>Mo Nager</option>', html)
