"""The roll-up drill page (and the company view's tabs) say what can be asked for in the
words the pages show — "reps' quotas", "product line" — not the API's codes
("reps_quota", "product_line"). The API keeps naming its parameters (test_rollups_api)."""

import re

import pytest

from tests.salesplan import test_rollups

territory = test_rollups.territory  # the small territory of the roll-up tests
pytestmark = pytest.mark.django_db

CODES = ("reps_quota", "product_line", "by=", "won, forecast, pipeline, plans")


def _text(response) -> str:
    text = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    return text.replace("&#x27;", "'")


def test_the_drill_page_names_figures_and_roll_ups_in_words(client, territory):
    client.force_login(territory.exec)
    answer = client.get("/rollups/drill/?by=rep&key=1&measure=fun")
    assert answer.status_code == 400
    text = _text(answer)
    assert (
        "“fun” is not a figure: choose one of quota, reps' quotas, account goals, revenue "
        "objectives, won so far, forecast, open pipeline closing in the period, account "
        "plans, overdue actions or investments waiting for a decision; open the list behind "
        "a figure from its link on the team board or the company view."
    ) in text
    assert not [code for code in CODES if code in text]

    text = _text(client.get("/rollups/drill/?by=region&key=1&measure=quota"))
    assert "“region” is not a roll-up: choose by rep, team, tier, product line or channel." in (
        text
    )
    assert not [code for code in CODES if code in text]

    # A figure the roll-up does not keep, named as the page names it, singular or plural.
    text = _text(client.get("/rollups/drill/?by=channel&key=1&measure=plans"))
    assert "“Account plans” is not kept by channel: choose another figure or roll-up." in text

    # Opened with nothing asked (a bookmark, a shortened link): where to go instead.
    answer = client.get("/rollups/drill/")
    assert answer.status_code == 400
    assert (
        "No figure was asked for: open the list behind a figure from its link on the team "
        "board or the company view." in _text(answer)
    )
    assert "“”" not in _text(answer)

    text = _text(client.get("/company/?by=region"))
    assert "choose by rep, team, tier, product line or channel. Showing by team." in text
    assert "product_line" not in text
