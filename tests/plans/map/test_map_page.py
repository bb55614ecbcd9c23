"""The map page: who sees it, what it shows, the filters, and that names stay escaped."""

import json

import pytest

from keyplan.accounts.choices import Attitude, DecisionRole, RelationshipStrength, Seniority
from keyplan.catalog.models import ProductLine
from keyplan.territory.models import StakeholderRole
from tests.conftest import login
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _chart(response):
    html = response.content.decode()
    start = html.index('<script id="map-data" type="application/json">') + len(
        '<script id="map-data" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def _names(tree):
    out = [tree["name"]]
    for child in tree.get("children", []):
        out += _names(child)
    return out


def test_map_draws_reporting_lines_with_roles(client, org, plan):
    org.cio.reports_to = org.cfo
    org.cio.decision_role = DecisionRole.CHAMPION
    org.cio.attitude = Attitude.SUPPORTER
    org.cio.relationship_strength = RelationshipStrength.STRONG
    org.cio.relationship_owner = org.rep
    org.cio.save()
    ContactFactory(account=org.mine_child, first_name="Dora", last_name="Division")
    response = login(client, org.rep).get(f"/plans/{plan.pk}/map/")
    assert response.status_code == 200
    tree = _chart(response)["tree"]
    assert tree["name"] == "Mine Group"
    # Grouped by business unit: the group's own people in a group of their own.
    own, division = tree["children"]
    assert own["name"] == "Directly at Mine Group" and own["people"] == "2 people"
    cfo = next(n for n in own["children"] if n.get("name") == "Clara Finance")
    cio = cfo["children"][0]
    assert cio["name"] == "Ivan Tech"
    assert cio["role_label"] == "Champion"
    assert cio["attitude_label"] == "Supporter"
    assert cio["strength_label"] == "Strong"
    assert cio["owner"] == str(org.rep)
    assert division["name"] == "Mine Division" and division["is_group"]
    assert [n["name"] for n in division["children"]] == ["Dora Division"]
    assert b"Export PNG" in response.content and b"Export SVG" in response.content


def test_filter_by_business_unit_and_product_line(client, org, plan):
    ContactFactory(
        account=org.mine_child,
        first_name="Dora",
        last_name="Division",
        title="Finance Director",
        seniority=Seniority.DIRECTOR,
    )
    line = ProductLine.objects.create(name="Analytics")
    StakeholderRole.objects.create(product_line=line, name="CFO", title_keywords="CFO")
    login(client, org.rep)
    unit = _names(
        _chart(client.get(f"/plans/{plan.pk}/map/?business_unit={org.mine_child.pk}"))["tree"]
    )
    assert "Dora Division" in unit and "Clara Finance" not in unit
    by_line = _names(_chart(client.get(f"/plans/{plan.pk}/map/?product_line={line.pk}"))["tree"])
    assert "Clara Finance" in by_line
    assert "Ivan Tech" not in by_line and "Dora Division" not in by_line
    # An account outside the plan's hierarchy is ignored, not shown.
    everyone = _names(
        _chart(client.get(f"/plans/{plan.pk}/map/?business_unit={org.theirs.pk}"))["tree"]
    )
    assert {"Clara Finance", "Ivan Tech", "Dora Division"} <= set(everyone)


def test_names_are_escaped(client, org, plan):
    org.cfo.last_name = "<script>alert(1)</script>"
    org.cfo.decision_role = DecisionRole.DECISION_MAKER
    org.cfo.save()
    response = login(client, org.rep).get(f"/plans/{plan.pk}/map/")
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_reader_sees_the_map_without_edit_links(client, org, plan):
    response = login(client, org.executive).get(f"/plans/{plan.pk}/map/")
    assert response.status_code == 200
    assert b'data-testid="read-only"' in response.content
    assert b'data-testid="add-contact"' not in response.content
    assert all(not n.get("url") for n in _chart(response)["tree"]["children"])
