"""An opportunity made from a plan's idea (the plan page's web form) starts its stage
history at its first stage, recorded as moved by the person who made it."""

import pytest

from keyplan.plans import services
from keyplan.plans.models import Idea
from keyplan.sales.models import OpportunityStageChange
from tests.plans.conftest import add_idea

pytestmark = pytest.mark.django_db


def test_the_web_form_records_the_first_stage_by_whom(org, plan, client):
    idea = add_idea(plan, org.rep, "250000", title="Forecast demand", confidence=70)
    idea = services.idea_move(idea=idea, user=org.rep, stage="qualified")
    client.force_login(org.rep)
    client.post(
        f"/plans/{plan.pk}/ideas/{idea.pk}/move/",
        {"stage": "opportunity", "version": idea.version},
        follow=True,
    )
    opportunity = Idea.objects.get(pk=idea.pk).opportunity
    change = OpportunityStageChange.objects.get(opportunity=opportunity)
    assert (change.from_stage, change.to_stage, change.probability) == ("", "Qualification", 70)
    assert change.changed_by == org.rep and change.who == str(org.rep)
    page = client.get(opportunity.get_absolute_url()).content.decode()
    history = page[page.index('data-testid="stage-history"') :]
    assert "Qualification" in history and str(org.rep) in history
