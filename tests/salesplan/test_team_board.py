"""The manager's home is the team board: per rep of theirs, the figures a first-line
manager runs the quarter on, each linking to the list behind it."""

import re

import pytest
from django.utils import timezone

from keyplan.people.choices import Role
from tests.factories import UserFactory
from tests.salesplan import test_rollups
from tests.salesplan.test_rollups import TODAY

territory = test_rollups.territory  # the small territory of the roll-up tests

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_a_manager_lands_on_their_team_board(client, territory):
    t = territory
    client.force_login(t.m1)
    home = client.get("/")
    assert home.status_code == 200
    text = _text(home)
    assert "Team board · FY 2027" in text
    assert "You own no accounts" not in text
    assert "Ann Archer" in text and "Ben Brook" in text and "Cat Cole" not in text
    # Ann: quota 1.2M, goals 1.2M, objectives 1.4M, won 450k, pipeline 800k, 1.1×.
    assert (
        "Ann Archer 1,200,000 USD 1,200,000 USD 1,400,000 USD 450,000 USD" in text
        and "800,000 USD 1.1×" in text
    )
    assert "coverage 1.1× is below 2.5×" in text and "1 overdue action" in text
    assert client.get("/team/").status_code == 200


def test_every_cell_links_to_its_list_and_the_list_adds_up(client, territory):
    t = territory
    client.force_login(t.m1)
    page = client.get("/team/").content.decode()
    link = f"/rollups/drill/?by=rep&amp;key={t.ann.pk}&amp;measure=pipeline&amp;period=FY%202027"
    assert link in page
    drill = _text(client.get(link.replace("&amp;", "&")))
    assert "Open pipeline closing in the period · FY 2027" in drill
    assert "Rep: Ann Archer · 800,000 USD in all" in drill
    assert "Acme 600000 Acme 600,000 USD" in drill or "Acme 600,000 USD" in drill


def test_a_manager_without_people_reads_a_sentence_not_an_empty_table(client, territory):
    lonely = UserFactory(username="lonely", role=Role.MANAGER)
    from tests.factories import TeamFactory

    TeamFactory(name="Empty", manager=lonely)
    client.force_login(lonely)
    # Without people, the manager is not refused: they read why the board is empty.
    page = _text(client.get("/"))
    assert "No one reports to you yet, so there is no team to show." in page
    assert 'data-testid="rollup-table"' not in client.get("/team/").content.decode()


def test_a_rep_is_refused_the_team_board_and_the_company_view(client, territory):
    t = territory
    client.force_login(t.ann)
    refused = client.get("/team/")
    assert refused.status_code == 403
    # The refusal says why and where her own figures are, not only "not allowed".
    assert "you have no people under you" in _text(refused)
    assert "Your own figures are on your home page and the quota page" in _text(refused)
    refused = client.get("/company/")
    assert refused.status_code == 403
    # She has no team board either: the refusal points at her own figures.
    assert "The company view is for executives" in _text(refused)
    assert "your own figures are on your home page and the quota page" in _text(refused)
    assert "team board" not in _text(refused).split("The company view")[1]
    home = _text(client.get("/"))
    assert "Your accounts" in home and "quota and account goals" in home


def test_a_manager_sees_only_their_team_and_no_company_view(client, territory):
    t = territory
    client.force_login(t.m2)
    text = _text(client.get("/team/"))
    assert "Cat Cole" in text and "Ann Archer" not in text
    assert client.get("/company/").status_code == 403
    # Another team's rep's list behind a figure is empty for this manager.
    drill = _text(
        client.get(f"/rollups/drill/?by=rep&key={t.ann.pk}&measure=pipeline&period=FY 2027")
    )
    assert "Nothing behind this figure" in drill


def test_a_bad_period_says_what_is_expected_and_shows_this_year(client, territory):
    client.force_login(territory.m1)
    text = _text(client.get("/team/?period=next+spring"))
    assert "“next spring” is not a period" in text and "Showing FY 2027" in text


def test_the_board_makes_no_query_per_rep(client, territory, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from keyplan.salesplan.models import Quota
    from tests.factories import AccountFactory

    t = territory
    client.force_login(t.m1)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/team/").status_code == 200
    base = len(ctx.captured_queries)
    for i in range(9):
        rep = UserFactory(username=f"more{i}", role=Role.REP, team=t.north, manager=t.m1)
        AccountFactory(name=f"More {i}", owner=rep)
        Quota.objects.create(level="rep", rep=rep, fiscal_year=2027, amount=1000)
    with django_assert_max_num_queries(base):
        page = client.get("/team/")
    assert page.content.decode().count('data-testid="rollup-row"') == 11


def test_a_rep_of_another_team_is_not_one_of_your_people_nor_in_your_totals(client, territory):
    """Ann (North) is on the account team of Delta, Cat's account (South): Mara sees Delta,
    but Cat is not one of her people — the board lists only Ann and Ben, its totals are
    theirs (goals 2.1M, not 2.9M with Cat's 800k), and it says whose figures it leaves out."""
    from tests.factories import AccountTeamMemberFactory

    t = territory
    AccountTeamMemberFactory(account=t.delta, user=t.ann)
    client.force_login(t.m1)
    text = _text(client.get("/team/"))
    assert "Ann Archer" in text and "Ben Brook" in text
    assert "Cat Cole 800,000 USD" not in text and "Cat Cole —" not in text
    assert "Total 2,200,000 USD 2,100,000 USD" in text
    assert "Cat Cole owns accounts your people work on" in text


def test_a_drill_link_typed_wrong_says_so_instead_of_failing(client, territory):
    """A hand-typed drill-down: a key that names no rep is refused in words (not a server
    error), and a bad period says which period is shown instead."""
    t = territory
    client.force_login(t.m1)
    answer = client.get("/rollups/drill/?by=rep&key=abc&measure=quota")
    assert answer.status_code == 400
    assert "“abc” is not a rep" in _text(answer)
    answer = client.get(f"/rollups/drill/?by=rep&key={t.ann.pk}&measure=quota&period=soon")
    text = _text(answer)
    assert answer.status_code == 200 and "Rep: Ann Archer · 1,200,000 USD in all" in text
    assert "“soon” is not a period" in text and "Showing FY 2027." in text
