"""An idea moves through its stages; one that needs an investment becomes an
opportunity only once an investment case for it is approved, and then a real
opportunity is created (or an open one of the account is linked)."""

import pytest

from keyplan.plans import services
from keyplan.plans.models import Idea, InvestmentCase
from keyplan.sales.models import Opportunity
from tests.factories import OpportunityFactory
from tests.plans.api.conftest import add_idea, post

pytestmark = pytest.mark.django_db


def test_idea_needing_an_investment_becomes_an_opportunity_after_approval(as_user, org, plan):
    client = as_user(org.rep)
    idea = add_idea(client, plan, needs_investment=True, title="Joint innovation lab")
    url = f"plan-ideas/{idea['id']}/move/"
    moved = post(client, url, {"stage": "qualified", "version": 1})
    assert moved.status_code == 200 and moved.json()["stage"] == "qualified"

    blocked = post(client, url, {"stage": "opportunity"})
    assert blocked.status_code == 400
    assert "investment case for it is approved" in blocked.json()["stage"][0]
    assert not Opportunity.objects.exists()

    case = services.element_save(
        kind="investment",
        plan=plan,
        user=org.rep,
        idea=Idea.objects.get(),
        title="Lab",
        cost=1000,
        expected_return=5000,
    )
    services.investment_submit(case=case, user=org.rep)
    services.investment_decide(case=InvestmentCase.objects.get(), user=org.manager, approve=True)

    moved = post(client, url, {"stage": "opportunity"})
    assert moved.status_code == 200, moved.content
    opportunity = Opportunity.objects.get()
    assert moved.json()["opportunity"] == opportunity.pk
    assert (opportunity.account, opportunity.name) == (org.mine, "Joint innovation lab")
    assert str(opportunity.amount) == "400000.00"


def test_an_idea_links_an_open_opportunity_the_user_sees(as_user, org, plan):
    client = as_user(org.rep)
    idea = add_idea(client, plan)
    url = f"plan-ideas/{idea['id']}/move/"
    post(client, url, {"stage": "qualified"})
    hidden = OpportunityFactory(account=org.theirs)
    response = post(client, url, {"stage": "opportunity", "opportunity": hidden.pk})
    assert response.status_code == 400 and "does not exist" in response.json()["opportunity"][0]
    deal = OpportunityFactory(account=org.mine_child)
    response = post(client, url, {"stage": "opportunity", "opportunity": deal.pk})
    assert response.status_code == 200, response.content
    assert response.json()["opportunity"] == deal.pk
    assert Opportunity.objects.count() == 2


def test_a_move_the_workflow_does_not_allow(as_user, org, plan):
    client = as_user(org.rep)
    idea = add_idea(client, plan)
    response = post(client, f"plan-ideas/{idea['id']}/move/", {"stage": "won"})
    assert response.status_code == 400
    assert "cannot move" in response.json()["stage"][0]
    stale = post(client, f"plan-ideas/{idea['id']}/move/", {"stage": "qualified", "version": 7})
    assert stale.status_code == 409
