"""The leaders' pages write the computed roll-up amounts (won so far, forecast, pipeline)
to the unit, as the territory plan's facts do: a board reading "1,509,611.19 USD" beside
"3,070,000 USD" quotas is noise to a sales manager (walk16). The drill-down's total is the
same rounded figure as the cell it opens from; a deal in that list keeps the amount typed
in the CRM."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import OpportunityFactory, SaleLineFactory
from tests.salesplan import test_rollups
from tests.salesplan.test_rollups import TODAY

territory = test_rollups.territory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).replace(
        "\u00a0", " "
    )


@pytest.fixture
def cents(territory):
    """A deal and a sale with cents on Ann's Acme: pipeline 800,000 + 1,234.56 and won
    450,000 + 99.50."""
    t = territory
    OpportunityFactory(
        account=t.acme,
        close_date=datetime.date(2027, 10, 1),
        amount=Decimal("1234.56"),
        status="open",
        stage="Proposal",
        created_date=datetime.date(2027, 1, 2),
        name="Acme cents",
    )
    SaleLineFactory(account=t.acme, date=datetime.date(2027, 4, 2), amount=Decimal("99.50"))
    return t


def test_the_team_board_writes_won_and_pipeline_to_the_unit(client, cents):
    t = cents
    client.force_login(t.m1)
    text = _text(client.get("/team/"))
    assert "801,235 USD" in text and "450,100 USD" in text
    assert "801,234.56" not in text and "450,099.50" not in text


def test_the_company_view_and_its_drill_down_agree_to_the_unit(client, cents):
    t = cents
    client.force_login(t.exec)
    text = _text(client.get("/company/?by=rep"))
    assert "801,235 USD" in text
    assert ".56 USD" not in text and ".50 USD" not in text
    drill = _text(
        client.get(f"/rollups/drill/?by=rep&key={t.ann.pk}&measure=pipeline&period=FY 2027")
    )
    assert "Rep: Ann Archer · 801,235 USD in all" in drill and "Total 801,235 USD" in drill
    # A deal's own amount is what was typed in the CRM: it keeps its cents.
    assert "1,234.56 USD" in drill


def test_the_won_drill_down_lists_each_account_to_the_unit(client, cents):
    """Won so far drills into a sum per account: computed, so to the unit like its total."""
    t = cents
    client.force_login(t.exec)
    drill = _text(client.get(f"/rollups/drill/?by=rep&key={t.ann.pk}&measure=won&period=FY 2027"))
    assert "Rep: Ann Archer · 450,100 USD in all" in drill
    assert "Acme 400,100 USD" in drill and "400,099.50" not in drill
