"""The demo ships with one plan shared with the customer: its link opens without
signing in, shows the leader's goal confirmed and their own action, and keeps the
sales milestone internal."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from keyplan.mutual.links import share_path
from keyplan.mutual.models import PlanShare
from keyplan.plans.models import PlanChange

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_active_shared_plan():
    out = StringIO()
    call_command("generate", "--accounts", "60", "--seed", "11", stdout=out)
    shares = list(PlanShare.objects.all())
    assert len(shares) == 1 and shares[0].is_active
    item = shares[0]
    assert f"Shared with the customer (no sign-in): {share_path(item)}" in out.getvalue()
    page = Client().get(share_path(item)).content.decode()
    assert "Our plan with" in page and item.plan.account.name in page
    assert "confirmed" in page and "Send last year&#x27;s downtime log for every plant" in page
    assert "First " not in page or "opportunity opened" not in page
    assert PlanChange.objects.filter(plan=item.plan, subject="customer confirmation").exists()
