"""A blocker with influence (C-level or VP, or with direct reports) is a warning; a
blocker without influence, or one who stops blocking, is not."""

import pytest

from keyplan.accounts.choices import DecisionRole, Seniority
from keyplan.plans.relationships import map_warnings
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _blockers(plan):
    return [w for w in map_warnings(plan) if w.kind == "influential_blocker"]


def test_senior_blocker_is_warned(org, plan):
    org.cio.decision_role = DecisionRole.BLOCKER
    org.cio.seniority = Seniority.MANAGER
    org.cio.save()
    assert _blockers(plan) == []  # a manager with nobody under them

    org.cio.seniority = Seniority.VP
    org.cio.save()
    [warning] = _blockers(plan)
    assert warning.contacts == [org.cio]
    assert "Blocker Ivan Tech (CIO) has influence: is VP" in warning.text

    org.cio.decision_role = DecisionRole.INFLUENCER
    org.cio.save()
    assert _blockers(plan) == []


def test_blocker_with_direct_reports_is_warned(org, plan):
    org.cio.decision_role = DecisionRole.BLOCKER
    org.cio.seniority = Seniority.MANAGER
    org.cio.save()
    report = ContactFactory(account=org.mine, reports_to=org.cio, seniority=Seniority.INDIVIDUAL)
    [warning] = _blockers(plan)
    assert "has 1 direct report" in warning.text

    report.is_active = False  # they left: no longer under the blocker
    report.save()
    assert _blockers(plan) == []
