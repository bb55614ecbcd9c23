"""The team board shows, per rep, the quarter's review (scheduled with its date, held,
missed when its time passed without being held) and flags each plan not reviewed in the
quarter — with no query per rep."""

import datetime

import pytest
from django.utils import timezone

from keyplan.people.choices import Role
from keyplan.reviews import services
from tests.factories import AccountFactory, UserFactory
from tests.reviews.conftest import MON, Q1, active_plan, at

pytestmark = pytest.mark.django_db
NOW = at(datetime.date(2027, 2, 1), 12)  # in Q1, after Monday 4 January


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def _cells(client) -> dict[str, str]:
    page = client.get("/team/?period=Q1+FY+2027")
    assert page.status_code == 200
    html = page.content.decode()
    rows = html.split('data-testid="rollup-row"')[1:]
    out = {}
    for row in rows:
        name = text_of(row.split("</strong>")[0])
        cell = row.split('data-testid="review-status">')[1].split("</td>")[0]
        out[name] = text_of(cell)
    return out


def text_of(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).replace(">", " ").split()).strip()


def test_held_missed_scheduled_and_plans_not_reviewed_on_the_board(client, team):
    held = services.sitting_schedule(
        user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 9)
    )
    for item in held.items.all():
        services.item_record(item=item, user=team.manager, version=1, outcome="on_track")
    services.sitting_close(sitting=held, user=team.manager, version=held.version)
    services.sitting_schedule(user=team.manager, rep=team.rep2, period=Q1, starts_at=at(MON, 14))
    client.force_login(team.manager)
    cells = _cells(client)
    rep, rep2 = str(team.rep), str(team.rep2)
    assert cells[rep] == "held 2027-02-01"  # closed "now", after the sitting's day
    assert cells[rep2] == ("missed (2027-01-04, not held) not reviewed this quarter Teammate Corp")
    # Moved to a day still to come: scheduled, with its date; the plan is still flagged.
    sitting = team.rep2.review_sittings.get()
    services.sitting_update(
        sitting=sitting,
        user=team.manager,
        version=sitting.version,
        starts_at=at(datetime.date(2027, 2, 10), 11),
        minutes=30,
    )
    assert _cells(client)[rep2] == (
        "scheduled 2027-02-10 11:00 not reviewed this quarter Teammate Corp"
    )


def test_a_rep_without_a_sitting_reads_not_scheduled_and_the_board_is_read_in_bounded_queries(
    client, team, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(team.manager)
    assert _cells(client)[str(team.rep)] == (
        "not scheduled not reviewed this quarter Atlas Freight, Mine Group"
    )
    with CaptureQueriesContext(connection) as ctx:
        client.get("/team/?period=Q1+FY+2027")
    base = len(ctx.captured_queries)
    for i in range(6):
        rep = UserFactory(username=f"more{i}", role=Role.REP, team=team.team, manager=team.manager)
        plan = active_plan(AccountFactory(name=f"More {i}", owner=rep), rep)
        manager = type(team.manager).objects.get(pk=team.manager.pk)  # scope read afresh
        sitting = services.sitting_schedule(
            user=manager, rep=rep, period=Q1, starts_at=at(MON + datetime.timedelta(i), 9)
        )
        assert sitting.items.get().plan == plan
    with django_assert_max_num_queries(base):
        page = client.get("/team/?period=Q1+FY+2027")
    assert page.content.decode().count('data-testid="review-status"') == 8


def test_a_quarter_still_to_come_flags_no_plan_as_not_reviewed(client, team, monkeypatch):
    # On 31 December, the day before Q1 begins, the board showed every plan
    # in red as "not reviewed this quarter" for a quarter that had not begun.
    from tests.reviews.conftest import BEFORE_Q1

    monkeypatch.setattr(timezone, "now", lambda: BEFORE_Q1 - datetime.timedelta(days=3))
    client.force_login(team.manager)
    assert _cells(client)[str(team.rep)] == "not scheduled"
