"""The executive program: for each pairing of one of our executives with one of the
customer's on a strategic account, the last meeting, days since, touched this quarter,
the next planned, and overdue against the cadence — rolled up per executive, per
manager and per account, over the plans the user may see. Figures checked by hand."""

import datetime
from decimal import Decimal

import pytest

from keyplan.plans import services
from keyplan.plans.executive_program import executive_program
from tests.factories import ContactFactory, InteractionFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2027, 2, 15)  # Q1 FY 2027 runs January to March


def _plan(account, owner):
    return services.plan_create(
        account=account,
        user=owner,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        revenue_goal=Decimal("100000"),
    )


def _pair(plan, user, executive, contact, cadence=91):
    services.element_save(
        kind="pairing",
        plan=plan,
        user=user,
        our_executive=executive,
        their_executive=contact,
        cadence_days=cadence,
    )


def _met(account, executive, contact, date):
    meeting = InteractionFactory(account=account, date=date, is_executive=True)
    meeting.participants.add(executive)
    meeting.contacts.add(contact)


@pytest.fixture
def program(org):
    """Mine Group (rep's): exec ↔ its CEO, met 10 Jan 2027 (this quarter), next planned
    2 Apr. Teammate Corp (rep2's): exec ↔ its CFO every 30 days, met 1 Dec 2026 (76 days
    ago: 46 days overdue). Theirs Inc (another manager's rep): a second executive ↔ its
    CEO, never met. A non-executive meeting with Teammate's CFO on 1 Feb does not count."""
    org.exec2 = UserFactory(username="exec2", role="executive", first_name="Xena", last_name="X")
    org.executive.first_name, org.executive.last_name = "Eve", "Ekman"
    org.executive.save()
    ceo = ContactFactory(account=org.mine, first_name="Carl", last_name="Chief", title="CEO")
    cfo = ContactFactory(account=org.teammate, first_name="Fay", last_name="Funds", title="CFO")
    theirs_ceo = ContactFactory(account=org.theirs, first_name="Tom", last_name="Top")
    _pair(_plan(org.mine, org.rep), org.rep, org.executive, ceo)
    _pair(_plan(org.teammate, org.rep2), org.rep2, org.executive, cfo, cadence=30)
    _pair(_plan(org.theirs, org.other), org.other, org.exec2, theirs_ceo)
    _met(org.mine, org.executive, ceo, datetime.date(2026, 11, 2))
    _met(org.mine, org.executive, ceo, datetime.date(2027, 1, 10))
    _met(org.mine, org.executive, ceo, datetime.date(2027, 4, 2))  # planned
    _met(org.teammate, org.executive, cfo, datetime.date(2026, 12, 1))
    plain = InteractionFactory(account=org.teammate, date=datetime.date(2027, 2, 1))
    plain.participants.add(org.executive)
    plain.contacts.add(cfo)
    return org


def test_each_pairing_with_its_figures(program):
    p = executive_program(program.ops, today=TODAY)
    assert p.quarter.name == "Q1 FY 2027"
    rows = {r.account.name: r for r in p.rows}
    assert list(rows) == ["Mine Group", "Teammate Corp", "Theirs Inc"]
    mine, teammate, theirs = rows.values()
    assert (mine.last_met, mine.days_since, mine.next_planned) == (
        datetime.date(2027, 1, 10),
        36,
        datetime.date(2027, 4, 2),
    )
    assert mine.touched_this_quarter and not mine.overdue
    assert mine.status == "On track: next due by 2027-04-11"
    assert (teammate.last_met, teammate.days_since, teammate.days_overdue) == (
        datetime.date(2026, 12, 1),
        76,
        46,
    )
    assert not teammate.touched_this_quarter and teammate.status == "Overdue by 46 days"
    assert theirs.last_met is None and theirs.late and theirs.status == "Never met"
    assert (p.touched, p.late) == (1, 2)
    eve = next(s for s in p.by_executive if s.who == program.executive)
    assert (eve.pairings, eve.touched, eve.late) == (2, 1, 1)
    managers = {str(s.who): (s.pairings, s.touched, s.late) for s in p.by_manager}
    assert managers[str(program.manager)] == (2, 1, 1)  # rep's and rep2's manager


def test_only_the_plans_one_may_see(program, client):
    mine = executive_program(program.rep, today=TODAY)
    assert [r.account.name for r in mine.rows] == ["Mine Group"]
    team = executive_program(program.manager, today=TODAY)
    assert [r.account.name for r in team.rows] == ["Mine Group", "Teammate Corp"]
    client.force_login(program.manager)
    page = " ".join(client.get("/executive-program/").content.decode().split())
    assert "Executive program · Q" in page
    assert "Teammate Corp" in page and "Theirs Inc" not in page
    assert "Eve Ekman ↔ Fay Funds" in page
