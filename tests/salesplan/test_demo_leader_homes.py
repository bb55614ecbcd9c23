"""The demo's manager and executive homes are full and plausible (issue 16, done means):
the manager lands on a team board where every one of their reps has a quota, account
goals, objectives, pipeline and a territory plan; the executive lands on the company
view with the company quota, every team's quota beside its reps', the plans at risk or
why none is, approved investments and this quarter against the last."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from keyplan.people.models import User
from keyplan.salesplan.periods import planning_year
from keyplan.salesplan.rollups import rollup

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def demo():
    call_command("generate", "--accounts", "60", "--seed", "42", stdout=StringIO())


def test_the_demo_managers_home_is_a_full_team_board(client, demo):
    manager = User.objects.get(username="manager")
    client.force_login(manager)
    text = _text(client.get("/"))
    assert "Team board" in text and "You own no accounts" not in text
    board = rollup(user=manager, period=planning_year(), by="rep")
    reps = [row for row in board.rows if row.person is not None]
    assert len(reps) >= 2
    for row in reps:
        assert row.label in text
        # Every rep carries a number, distributed over accounts and planned against.
        assert row.quota and row.goals and row.objectives and row.pipeline, row
        assert row.goals >= row.quota and row.objectives >= row.quota, row
        assert row.territory_plan is not None, row.label
    assert board.total.plans >= 1


def test_the_demo_executives_home_is_a_full_company_view(client, demo):
    executive = User.objects.get(username="exec")
    client.force_login(executive)
    answer = client.get("/")
    text = _text(answer).replace("&#x27;", "'")
    assert "The company ·" in text and "You own no accounts" not in text
    context = answer.context
    view = context["view"]
    assert view.company_quota
    teams = [row for row in view.rows if row.person is not None]
    assert len(teams) >= 2
    for row in teams:
        assert row.quota and row.reps_quota and row.objectives, row
    # The company's number beside what the reps carry, said in words.
    assert "The reps' quotas add up to" in text and "company quota of" in text
    # Plans at risk listed with their reasons, or why none is.
    assert context["at_risk"] or "No plan of" in text
    assert context["approved"], "no approved investment to weigh against its promise"
    won = next(m for m in context["movement"] if m.label == "Won")
    assert won.last, "last quarter won nothing in the demo"
