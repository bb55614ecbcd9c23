"""Brock's pipeline sentence speaks to the rep on their own page ("You need …") and
about the rep, in the third person, to whoever reads about them (the team board):
"Amir Bianchi needs …; they have …", in every case of the math."""

import datetime
import re
from decimal import Decimal

import pytest

from keyplan.salesplan.pipeline import Rates, need
from tests.salesplan.test_pipeline_math import TODAY, lines, team  # noqa: F401

pytestmark = pytest.mark.django_db

BY = datetime.date(2026, 12, 31)
KNOWN = Rates(win_rate=0.5, deal_size=Decimal("10000"), closed=10, won=5, source="rep")


def _need(rates=KNOWN, goal="100000", forecast="20000", who=""):
    return need(
        goal=Decimal(goal),
        forecast=Decimal(forecast),
        rates=rates,
        open_pipeline=(3, Decimal("30000")),
        by=BY,
        who=who,
    ).sentence


def test_each_case_of_the_math_names_the_rep_in_the_third_person():
    assert _need(who="Amir Bianchi") == (
        "Amir Bianchi needs 16 more qualified opportunities of ~10,000 USD by December "
        "2026; they have 3."
    )
    assert _need(goal="10000", who="Amir Bianchi") == (
        "The forecast already reaches Amir Bianchi's goal: no new pipeline needed."
    )
    no_history = Rates(win_rate=None, deal_size=None, closed=0)
    assert _need(no_history, who="Amir Bianchi").startswith(
        "Amir Bianchi's goal needs 80,000 USD beyond the forecast, but no deal closed"
    )
    none_won = Rates(win_rate=0.0, deal_size=None, closed=4)
    assert _need(none_won, who="Amir Bianchi").startswith(
        "Amir Bianchi's goal needs 80,000 USD beyond the forecast, but none of the 4 deals"
    )
    # Spoken to the rep, as before.
    assert _need().startswith("You need 16 more qualified opportunities")
    assert _need(no_history).startswith("The goal needs 80,000 USD beyond the forecast")


def territory_plan_text(client, team, monkeypatch, reader) -> str:  # noqa: F811
    """The rep's FY 2026 territory plan page as ``reader`` sees it, as words."""
    from django.utils import timezone

    from keyplan.salesplan.models import TerritoryPlan

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    plan, _ = TerritoryPlan.objects.get_or_create(rep=team.rep, fiscal_year=2026)
    client.force_login(reader)
    page = client.get(f"/territory-plans/{plan.pk}/")
    assert page.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", page.content.decode()).split())


def test_the_reps_own_territory_plan_keeps_you_need(client, team, monkeypatch):  # noqa: F811
    text = territory_plan_text(client, team, monkeypatch, team.rep)
    assert "You need 16 more qualified opportunities of ~10,000 USD by December 2026" in text
    assert f"{team.rep} needs" not in text


def test_the_manager_reading_a_reps_territory_plan_reads_about_the_rep(
    client,
    team,  # noqa: F811
    monkeypatch,
):
    """The manager opening their rep's territory plan used to read "You need 16 more
    qualified opportunities …; you have 3", as if the rep's pipeline were theirs."""
    text = territory_plan_text(client, team, monkeypatch, team.manager)
    assert (
        f"{team.rep} needs 16 more qualified opportunities of ~10,000 USD by December 2026; "
        "they have 3" in text
    )
    assert "You need 16" not in text and "you need 16" not in text


def test_the_managers_realism_checks_speak_of_the_rep_not_to_them(client, team, monkeypatch):  # noqa: F811
    """The realism checks on the rep's plan used to tell the manager "Your revenue
    objectives …" and "your quota"; the manager reads the rep's name and "their"."""
    from keyplan.salesplan.models import Quota

    Quota.objects.get_or_create(
        level="rep", rep=team.rep, fiscal_year=2026, quarter=0, defaults={"amount": 100000}
    )
    text = territory_plan_text(client, team, monkeypatch, team.manager)
    assert "No revenue objective by tier yet" in text
    assert f"For their quota (no revenue objective yet): {team.rep} needs 16" in text
    assert "your quota" not in text.lower().replace("their quota", "")
    own = territory_plan_text(client, team, monkeypatch, team.rep)
    assert "For your quota (no revenue objective yet): you need 16" in own
