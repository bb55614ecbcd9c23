"""Before the forecast and the white space are computed (a fresh installation, a new
fiscal year), the territory's headline said "Opportunity 0 against a quota of 16.8M:
0.0× — less than the quota: … plan new logos or talk to your manager about the quota":
advice drawn from figures that do not exist yet. It now says the opportunity is not
computed yet; with figures, the headline is unchanged."""

import dataclasses
from decimal import Decimal

import pytest

from keyplan.salesplan.facts import territory_facts
from tests.salesplan.test_territory_facts import territory  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_no_advice_on_an_opportunity_not_computed_yet(territory):  # noqa: F811
    facts = territory_facts(rep=territory.rep, fiscal_year=2026)
    assert facts.forecast_note.startswith("The forecast is not computed yet")
    nothing_yet = dataclasses.replace(facts, expected=Decimal("0"), forecast=Decimal("0"))
    headline = nothing_yet.headline
    assert headline.startswith("The opportunity is not computed yet")
    assert "quota of 4.0k" in headline
    assert "less than the quota" not in headline and "0.0×" not in headline


def test_a_computed_zero_still_gets_the_advice(territory):  # noqa: F811
    facts = territory_facts(rep=territory.rep, fiscal_year=2026)
    computed = dataclasses.replace(
        facts, expected=Decimal("0"), forecast_note="", white_space_note=""
    )
    assert "less than the quota" in computed.headline
