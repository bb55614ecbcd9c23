"""Right after sales change (a demo just generated, an import) the leaders' roll-up
tables have figures still being computed: each such cell shows a short mark ("…") and
the sentence saying why and to reload is written once under the table, not in every
row's cell."""

import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from keyplan.forecast.tasks import COMPUTING_KEY
from keyplan.salesplan import period_arrays
from tests.salesplan import test_rollups
from tests.salesplan.test_rollups import TODAY

territory = test_rollups.territory

pytestmark = pytest.mark.django_db

ON_ITS_WAY = "being computed after the latest change to sales (a minute or two): reload the page"


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _words(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _table_card(response) -> tuple[str, list[list[str]]]:
    """The roll-up table's card as text, and each row's cells as text."""
    html = response.content.decode()
    start = html.index('data-testid="rollup-table"')
    card = html[start : html.index("</section>", start)]
    rows = [
        [_words(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r'<tr data-testid="rollup-row">(.*?)</tr>', card, re.S)
    ]
    return _words(card), rows


def test_the_forecast_being_computed_is_said_once_under_the_table(client, territory):
    client.force_login(territory.m1)
    cache.set(COMPUTING_KEY, 1, 900)  # the worker has the forecast queued
    try:
        card, rows = _table_card(client.get("/team/"))
    finally:
        cache.delete(COMPUTING_KEY)
    assert [row[0] for row in rows] == ["Ann Archer", "Ben Brook"]
    assert card.count(ON_ITS_WAY) == 1
    assert f"… Forecast: {ON_ITS_WAY} to see it." in card
    # Won and pipeline are there; only the forecast's cell waits, with the short mark,
    # and the total's forecast too.
    assert [row.count("…") for row in rows] == [1, 1]
    assert card.count("…") == 4  # two rows, the total, the note


def test_figures_pending_on_a_large_territory_are_said_once(
    client, territory, settings, monkeypatch
):
    settings.KEYPLAN_ROLLUP_INLINE_ACCOUNTS = 2  # too large to compute on the request
    monkeypatch.setattr(period_arrays, "queue_period_arrays", lambda period, today: None)
    client.force_login(territory.exec)
    response = client.get("/company/?by=team&period=FY2027")
    card, rows = _table_card(response)
    assert card.count("reload the page") == 1
    assert "… Won so far, forecast and open pipeline: being computed" in card
    assert all(row.count("…") == 3 for row in rows), rows  # won, forecast, pipeline
    # The quarter-on-quarter table says it once too (on its Won row).
    html = response.content.decode()
    start = html.index('data-testid="movement"')
    movement = _words(html[start : html.index("</section>", start)])
    assert movement.count("reload the page") == 1
