"""A product line with key stakeholder roles where we know nobody senior (director or
above) in one of those roles is a warning, until such a contact is on the map."""

import pytest

from keyplan.accounts.choices import Seniority
from keyplan.catalog.models import ProductLine
from keyplan.plans.relationships import map_warnings
from keyplan.territory.models import StakeholderRole
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _lines(plan):
    return [w.subject for w in map_warnings(plan) if w.kind == "no_senior_contact"]


@pytest.fixture
def lines(db):
    analytics = ProductLine.objects.create(name="Analytics")
    StakeholderRole.objects.create(
        product_line=analytics, name="Head of Finance", title_keywords="Finance Director, CFO"
    )
    StakeholderRole.objects.create(
        product_line=analytics, name="Head of Operations", function="Operations"
    )
    ProductLine.objects.create(name="Services")  # no key roles: never warned about
    return analytics


def test_line_without_a_senior_contact_is_warned_until_one_is_known(org, plan, lines):
    org.cfo.title = "Finance assistant"  # fills no role
    org.cfo.save()
    ContactFactory(
        account=org.mine,
        title="Operations analyst",
        function="Operations",
        seniority=Seniority.INDIVIDUAL,
    )  # fills a role, but is not senior
    assert _lines(plan) == ["Analytics"]
    [warning] = [w for w in map_warnings(plan) if w.kind == "no_senior_contact"]
    assert "Analytics: we know nobody senior (director or above)" in warning.text
    assert "Head of Finance, Head of Operations" in warning.text

    ContactFactory(
        account=org.mine_child,
        title="Finance Director",
        function="Finance",
        seniority=Seniority.DIRECTOR,
    )
    assert _lines(plan) == []


def test_a_senior_contact_who_left_does_not_count(org, plan, lines):
    org.cfo.seniority = Seniority.C_LEVEL
    org.cfo.save()
    assert _lines(plan) == []
    org.cfo.is_active = False
    org.cfo.save()
    assert _lines(plan) == ["Analytics"]
