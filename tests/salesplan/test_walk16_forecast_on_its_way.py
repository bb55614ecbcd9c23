"""In the first minutes after a sales import the forecast is dropped and queued for the
background worker: the leaders' pages say it is being computed and to reload, not a bare
"not computed yet" that reads as a dead end (walk16)."""

import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from keyplan.forecast.tasks import COMPUTING_KEY
from tests.salesplan import test_rollups
from tests.salesplan.test_rollups import TODAY

territory = test_rollups.territory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


ON_ITS_WAY = "being computed after the latest change to sales (a minute or two): reload the page"


def test_the_company_view_says_the_forecast_is_on_its_way(client, territory):
    client.force_login(territory.exec)
    cache.delete(COMPUTING_KEY)
    before = _text(client.get("/company/"))
    assert "Forecast: not computed yet." in before and ON_ITS_WAY not in before
    cache.set(COMPUTING_KEY, 1, 900)  # the worker has the forecast queued (a sales import)
    try:
        text = _text(client.get("/company/"))
        assert f"Forecast: {ON_ITS_WAY} to see it." in text
        # The quarter-on-quarter movement says the same.
        i = text.find("This quarter against the last")
        assert re.search(r"Forecast " + re.escape(ON_ITS_WAY), text), text[i : i + 600]
        board = _text(client.get("/team/", follow=True))
        assert "not computed yet" not in board
    finally:
        cache.delete(COMPUTING_KEY)


def test_the_team_board_says_the_forecast_is_on_its_way(client, territory):
    client.force_login(territory.m1)
    cache.set(COMPUTING_KEY, 1, 900)
    try:
        text = _text(client.get("/team/"))
        assert f"Forecast: {ON_ITS_WAY} to see it." in text
        assert "not computed yet" not in text
    finally:
        cache.delete(COMPUTING_KEY)
