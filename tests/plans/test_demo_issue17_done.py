"""The demo as issue 17 asks (its "Done means"): the first example plan's files carry the
delivery commitment and the discussion (names, not usernames), the customer's shared
page carries neither, the executive program holds exactly one overdue account, and this
quarter's review sitting is scheduled whenever more than a week of the quarter is left
(``tests/reviews/test_demo_reviews.py`` checks last quarter's, held)."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from keyplan.mutual.links import share_path
from keyplan.mutual.models import PlanShare
from keyplan.outputs.export import export_plan
from keyplan.people.models import User
from keyplan.plans.executive_program import executive_program
from keyplan.plans.models import AccountPlan
from keyplan.reviews.models import ReviewSitting
from keyplan.reviews.selectors import current_quarter, quarter_bounds
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


def test_the_demo_holds_what_issue_17_asks(db):
    run_generate("--accounts", 60, "--seed", 11)
    this = current_quarter()
    _, end = quarter_bounds(this)
    scheduled = ReviewSitting.objects.filter(
        fiscal_year=this.fiscal_year, quarter=this.quarter, status="scheduled"
    )
    if end - timezone.now() > datetime.timedelta(days=7):
        sitting = scheduled.get()
        assert (sitting.rep.username, sitting.manager.username) == ("rep", "manager")
        assert sitting.items.count() == 3 and sitting.starts_at > timezone.now()
    rep = User.objects.get(username="rep")
    manager = User.objects.get(username="manager")
    first = AccountPlan.objects.order_by("pk").first()
    commitment = first.help_requests.get(help_kind="commitment")
    comments = list(first.comments.order_by("pk"))
    assert len(comments) == 3

    text = " ".join(export_plan(plan=first, user=rep, fmt="md").content.decode().split())
    assert f"Delivery: {commitment.scope}" in text
    assert f"committed by {manager}" in text
    for c in comments:
        # Each comment, its first words (mentions written as names, so from the second).
        words = c.text.split()[1:6]
        assert " ".join(words) in text, c.text
    assert f"@{rep}" in text and not re.search(r"@rep\b", text)
    assert f"**{manager}**" in text

    # The executive program: one account overdue (or never met) against its cadence.
    program = executive_program(manager)
    assert program.rows and sum(r.late for r in program.rows) == 1

    # The customer's shared page never shows the discussion or the commitment.
    for share in PlanShare.objects.filter(plan__account=first.account):
        page = Client().get(share_path(share)).content.decode()
        assert commitment.scope not in page and "commitment" not in page.lower()
        assert not any(" ".join(c.text.split()[1:6]) in page for c in comments)
