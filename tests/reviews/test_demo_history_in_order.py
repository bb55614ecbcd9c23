"""The demo's history reads in order: an example plan's versions are dated in their
numbers' order (v2, last quarter's review, came after v1, the activation, which is
moved back before it), and an account's recent interactions are ones that took place —
the executive meeting accepted for two weeks ahead is listed as planned, not among them."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from keyplan.accounts.models import Interaction
from keyplan.plans.models import AccountPlan, PlanVersion
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


def test_the_demo_plans_versions_and_interactions_are_dated_in_order(client):
    run_generate("--accounts", 60, "--seed", 11)
    now = timezone.now()
    plans = list(AccountPlan.objects.filter(owner__username="rep"))
    assert len(plans) == 3
    for plan in plans:
        versions = list(PlanVersion.objects.filter(plan=plan).order_by("number"))
        assert len(versions) >= 2, plan  # activated, and reviewed last quarter
        dated = [v.taken_at for v in versions]
        assert dated == sorted(dated), [(v.number, v.taken_at) for v in versions]
        assert dated[-1] <= now
        assert plan.created_at <= dated[0]
        # The versions page lists them newest first, v2 above v1, with dates in order.
        client.force_login(plan.owner)
        page = client.get(f"/plans/{plan.pk}/versions/").content.decode()
        listed = re.findall(r"<tr><td>v(\d+)</td><td>[^<]*</td><td>([^<]+)</td>", page)
        assert [int(n) for n, _ in listed] == [v.number for v in reversed(versions)]


def test_the_demo_s_recent_interactions_took_place_and_the_planned_one_is_apart(client):
    run_generate("--accounts", 60, "--seed", 11)
    # The accepted executive meeting is planned: after today, and listed as planned.
    today = timezone.localdate()
    planned = Interaction.objects.get(date__gt=today)
    rep = get_user_model().objects.get(username="rep")
    client.force_login(rep)
    page = client.get(f"/accounts/{planned.account_id}/").content.decode()
    recent = page.split('data-testid="recent-interactions"')[1].split("</section>")[0]
    dates = re.findall(r"<tr><td>(\d{4}-\d{2}-\d{2})</td>", recent)
    assert dates and all(d <= today.isoformat() for d in dates), dates
    assert planned.subject not in recent
    ahead = page.split('data-testid="planned-interactions"')[1].split("</section>")[0]
    assert "<h2>Planned</h2>" in ahead
    assert f"<tr><td>{planned.date.isoformat()}</td>" in ahead
    assert planned.subject in ahead
