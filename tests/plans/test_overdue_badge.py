"""The plan page marks an open opportunity past its expected close date "⚠ Overdue" (in
its list of open opportunities and beside the idea it came from), as every page does
with ``sales/_overdue.html``; the page's tag writes the same HTML."""

import datetime

import pytest
from django.template import engines

from tests.factories import OpportunityFactory

INCLUDE = '{% include "sales/_overdue.html" with opportunity=o %}'
TAG = "{% load plan_rows %}{% overdue_badge o %}"


@pytest.mark.parametrize(
    "status, close",
    [
        ("open", datetime.date(2026, 2, 27)),  # overdue
        ("open", datetime.date(2999, 1, 31)),
        ("open", None),
        ("won", datetime.date(2026, 2, 27)),
    ],
)
def test_the_badge_is_the_one_every_page_shows(org, status, close):
    stage = "Closed Won" if status == "won" else "Proposal"
    o = OpportunityFactory(account=org.mine, status=status, stage=stage, close_date=close)
    engine = engines["django"]
    shown = engine.from_string(TAG).render({"o": o})
    assert shown == engine.from_string(INCLUDE).render({"o": o})
    assert ("⚠ Overdue" in shown) is (status == "open" and close == datetime.date(2026, 2, 27))


def test_an_overdue_deal_is_marked_on_the_plan_page(org, plan, client):
    OpportunityFactory(account=org.mine, name="Late renewal", close_date=datetime.date(2026, 2, 27))
    OpportunityFactory(account=org.mine, name="On time", close_date=datetime.date(2999, 1, 31))
    client.force_login(org.rep)
    page = client.get(plan.get_absolute_url()).content.decode()
    listed = page.split('id="opportunities"')[1].split("</section>")[0]
    late = listed.split("Late renewal")[1].split("</tr>")[0]
    assert 'data-testid="overdue">⚠ Overdue</span>' in late
    assert "Overdue" not in listed.split("On time")[1].split("</tr>")[0]
