"""A decision maker with no or only a weak relationship is a warning until the
relationship is medium or strong; ``decision_makers_covered`` counts the same way."""

import pytest

from keyplan.accounts.choices import DecisionRole, RelationshipStrength
from keyplan.plans.relationships import decision_makers_covered, map_warnings
from tests.conftest import login
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


def _uncovered(plan):
    return [w for w in map_warnings(plan) if w.kind == "uncovered_decision_maker"]


def test_decision_maker_without_relationship_is_warned_until_covered(org, plan):
    org.cfo.decision_role = DecisionRole.DECISION_MAKER
    org.cfo.save()
    [warning] = _uncovered(plan)
    assert warning.contacts == [org.cfo]
    assert "Decision maker Clara Finance (CFO) has no relationship with us" in warning.text
    assert decision_makers_covered(plan) == (0, 1)

    org.cfo.relationship_strength = RelationshipStrength.WEAK
    org.cfo.save()
    [warning] = _uncovered(plan)
    assert "only a weak relationship" in warning.text

    org.cfo.relationship_strength = RelationshipStrength.MEDIUM
    org.cfo.save()
    assert _uncovered(plan) == []
    assert decision_makers_covered(plan) == (1, 1)


def test_decision_makers_of_child_accounts_count_and_leavers_do_not(org, plan):
    ContactFactory(
        account=org.mine_child,
        decision_role=DecisionRole.DECISION_MAKER,
        relationship_strength=RelationshipStrength.STRONG,
    )
    ContactFactory(account=org.mine_child, decision_role=DecisionRole.DECISION_MAKER)
    ContactFactory(account=org.mine, decision_role=DecisionRole.DECISION_MAKER, is_active=False)
    ContactFactory(account=org.theirs, decision_role=DecisionRole.DECISION_MAKER)
    assert decision_makers_covered(plan) == (1, 2)
    assert len(_uncovered(plan)) == 1


def test_the_warning_is_on_the_map_page(client, org, plan):
    org.cfo.decision_role = DecisionRole.DECISION_MAKER
    org.cfo.save()
    html = login(client, org.rep).get(f"/plans/{plan.pk}/map/").content.decode()
    assert 'data-kind="uncovered_decision_maker"' in html
    assert "Decision maker Clara Finance (CFO) has no relationship with us" in html
