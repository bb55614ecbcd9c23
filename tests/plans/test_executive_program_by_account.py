"""The executive program rolled up per account: an account with two pairings, one met
this quarter and one never met, counts two pairings, one touched and one late.
Figures checked by hand (the program fixture: today is
2027-02-15, in Q1 FY 2027)."""

import datetime

import pytest

from keyplan.plans.executive_program import executive_program
from tests.factories import ContactFactory
from tests.plans.test_executive_program import TODAY, _pair, program  # noqa: F401

pytestmark = pytest.mark.django_db


def test_each_account_rolls_up_its_pairings(program):  # noqa: F811
    plan = program.mine.plans.get()
    cfo = ContactFactory(account=program.mine, first_name="Cleo", last_name="Cash", title="CFO")
    _pair(plan, program.rep, program.exec2, cfo)  # never met
    p = executive_program(program.ops, today=TODAY)
    accounts = {s.who.name: (s.pairings, s.touched, s.late) for s in p.by_account}
    assert accounts == {
        "Mine Group": (2, 1, 1),
        "Teammate Corp": (1, 0, 1),
        "Theirs Inc": (1, 0, 1),
    }
    mine = next(s for s in p.by_account if s.who.name == "Mine Group")
    assert mine.last_met == datetime.date(2027, 1, 10)
