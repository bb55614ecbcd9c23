"""The map groups people by business unit: everyone at a unit or at a division or budget
centre under it is in the unit's group, along their reporting lines; someone whose
manager works in another unit hangs directly under their own unit (the line is still
said); the account's own people form a group of their own. A map of more than 40 people
starts with its groups folded."""

import json

import pytest

from tests.conftest import login
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db

LARGE_MAP = 40  # more people than this: the map starts folded


def _chart(response):
    html = response.content.decode()
    tag = '<script id="map-data" type="application/json">'
    start = html.index(tag) + len(tag)
    return json.loads(html[start : html.index("</script>", start)])


def _names(node):
    return [n["name"] for n in node["children"]]


def test_people_are_grouped_by_business_unit(client, org, plan):
    centre = AccountFactory(name="Mine Budget Centre", parent=org.mine_child, kind="division")
    other_unit = AccountFactory(name="Mine Retail", parent=org.mine, kind="division")
    plan.covered_accounts.add(other_unit)
    head = ContactFactory(account=org.mine_child, first_name="Hana", last_name="Head")
    ContactFactory(account=centre, first_name="Cem", last_name="Centre", reports_to=head)
    ContactFactory(account=centre, first_name="Lone", last_name="Buyer")
    # Reports across units (to the group's CFO): drawn in her own unit, line said.
    ContactFactory(account=other_unit, first_name="Rita", last_name="Retail", reports_to=org.cfo)

    response = login(client, org.rep).get(f"/plans/{plan.pk}/map/")
    chart = _chart(response)
    tree = chart["tree"]
    assert tree["people"] == "6 people"
    assert _names(tree) == ["Directly at Mine Group", "Mine Division", "Mine Retail"]
    own, division, retail = tree["children"]
    assert all(group["is_group"] for group in tree["children"])
    assert sorted(_names(own)) == ["Clara Finance", "Ivan Tech"]
    # The budget centre is no level of its own: its people are in the division's group,
    # under their manager when they have one on the map.
    assert _names(division) == ["Lone Buyer", "Hana Head"]
    assert division["people"] == "3 people"
    assert _names(division["children"][1]) == ["Cem Centre"]
    assert division["children"][1]["children"][0]["account"] == "Mine Budget Centre"
    assert _names(retail) == ["Rita Retail"]
    assert retail["children"][0]["reports_to"] == "Clara Finance"
    assert chart["start_collapsed"] is False
    html = response.content.decode()
    assert "People are grouped by business unit" in html
    assert 'data-testid="map-expand-all"' in html


def test_an_account_without_units_has_no_groups(client, org, plan):
    org.cio.reports_to = org.cfo
    org.cio.save()
    response = login(client, org.rep).get(f"/plans/{plan.pk}/map/")
    tree = _chart(response)["tree"]
    assert _names(tree) == ["Clara Finance"]
    assert _names(tree["children"][0]) == ["Ivan Tech"]
    assert b'data-testid="map-expand-all"' not in response.content


def test_a_large_map_starts_folded(client, org, plan):
    for i in range(LARGE_MAP - 2):  # with the plan's two: exactly LARGE_MAP people
        ContactFactory(account=org.mine_child, first_name="Person", last_name=f"No {i}")
    login(client, org.rep)
    small = client.get(f"/plans/{plan.pk}/map/")
    assert _chart(small)["start_collapsed"] is False
    assert b"a map this large starts folded" not in small.content
    ContactFactory(account=org.mine_child, first_name="One", last_name="More")
    large = client.get(f"/plans/{plan.pk}/map/")
    assert _chart(large)["start_collapsed"] is True
    assert _chart(large)["tree"]["people"] == f"{LARGE_MAP + 1} people"
    assert b"a map this large starts folded" in large.content
