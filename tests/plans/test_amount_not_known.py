"""An open opportunity whose amount is not known counts in the plan as a deal, not in the
pipeline's value or coverage; the plan lists it as "amount not known"."""

import datetime
from decimal import Decimal

from keyplan.plans import selectors
from tests.factories import OpportunityFactory

D = Decimal


def test_deal_without_amount_is_listed_not_counted(org, plan, client):
    sized = OpportunityFactory(
        account=org.mine,
        name="Sized deal",
        amount=D("250000"),
        created_date=datetime.date(2026, 1, 1),
        close_date=datetime.date(2027, 3, 1),
    )
    early = OpportunityFactory(
        account=org.mine, name="Early deal", amount=None, close_date=None, stage="Prospecting"
    )
    plan.opportunities.add(sized, early)

    cov = selectors.coverage(plan)
    assert cov.opportunities == D("250000")  # the early deal adds nothing
    assert cov.revenue.ratio == D("0.25")  # 250,000 of a 1,000,000 goal
    assert cov.amount_not_known == [early.pk]

    client.force_login(org.rep)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "<strong>Amount not known:</strong>" in page
    assert f'<a href="/opportunities/{early.pk}/">Early deal</a> — this open opportunity' in page
    # In the plan's list of open opportunities: no 0, the words, and no close date.
    row = page[page.index(">Early deal</a></td>") :].split("</tr>")[0]
    assert '<span class="muted">amount not known</span>' in row and "<td>—</td>" in row

    body = client.get(f"/api/v1/plans/{plan.pk}/").json()
    assert body["coverage"]["opportunities"] == "250000.00"
    assert body["coverage"]["amount_not_known"] == [early.pk]


def test_an_early_deal_stays_on_the_plan_among_many_dated_ones(org, plan, client):
    """An imported early-stage deal (no amount, no close date) is listed on the plan even
    when the plan's accounts have more open deals than the list shows: it needs the rep
    to complete it at source."""
    for day in range(1, 32):
        OpportunityFactory(
            account=org.mine,
            name=f"Dated deal {day}",
            amount=D("1000"),
            created_date=datetime.date(2026, 1, 1),
            close_date=datetime.date(2027, 1, day),
        )
    OpportunityFactory(
        account=org.mine, name="Early deal", amount=None, close_date=None, stage="Prospecting"
    )
    client.force_login(org.rep)
    page = client.get(plan.get_absolute_url()).content.decode()
    table = page[page.index("Open opportunities of the plan's accounts") :]
    row = table[table.index(">Early deal</a></td>") :].split("</tr>")[0]
    assert '<span class="muted">amount not known</span>' in row
