"""The white-space back-test says in a sentence how to read the probabilities (they ran
high, low or right that year, by how much) and says so when the previous rule beat the
model on a figure: "173 were bought; the model expected 307" alone left a sales-ops lead
to work out that the probabilities run 1.8 times too high."""

import re

import pytest

from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


def test_the_backtest_says_how_to_read_the_probabilities(client, db):
    from django.contrib.auth import get_user_model

    from keyplan.territory.predictions import whitespace_backtest, whitespace_predictions

    run_generate("--accounts", 60, "--seed", 11, "--no-plans")
    whitespace_predictions(by="product", horizon=12)
    check = whitespace_backtest(by="product")
    client.force_login(get_user_model().objects.get(username="ops"))
    page = client.get("/territory/whitespace/").content.decode()
    reading = re.search(r'data-testid="whitespace-backtest-reading">([^<]+)<', page).group(1)
    made = round(check.bought_cells / check.predicted_total * 100)
    assert f"for every 100 purchases they expected, {made} were made" in reading
    if made < 85:
        assert reading.startswith("The probabilities ran high that year")
    elif made > 115:
        assert reading.startswith("The probabilities ran low that year")
    else:
        assert reading.startswith("The probabilities counted right within 15%")
    weaker = 'data-testid="whitespace-backtest-weaker"' in page
    assert weaker == (check.peer_share.revenue_top3 > check.model_value.revenue_top3)
