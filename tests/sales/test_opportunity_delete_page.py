"""An opportunity is deleted on the web as accounts and contacts are: from its page, after a
confirmation that lists what goes with it and what it changes (the plans counting it, a
won deal's part of the sales), into the recycle bin. Before, only the API could."""

import datetime
from decimal import Decimal

import pytest

from keyplan.audit.models import DeletedRecord
from keyplan.plans.models import AccountPlan
from keyplan.sales.models import Opportunity
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def _plan(org):
    return AccountPlan.objects.create(
        account=org.mine,
        owner=org.rep,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
    )


def test_a_rep_deletes_a_deal_of_their_account_after_reading_what_it_changes(client, org):
    deal = OpportunityFactory(account=org.mine, owner=org.rep, name="Analytics renewal")
    plan = _plan(org)
    plan.opportunities.add(deal)
    client.force_login(org.rep)
    page = client.get(f"/opportunities/{deal.pk}/").content.decode()
    assert f'href="/opportunities/{deal.pk}/delete/"' in page

    confirm = client.get(f"/opportunities/{deal.pk}/delete/").content.decode()
    assert "Delete the opportunity Analytics renewal?" in confirm
    assert f"The plan “{plan}” counts it in its pipeline: it leaves that pipeline." in confirm
    assert "You can restore it from the recycle bin for 30 days" in confirm
    assert Opportunity.objects.filter(pk=deal.pk).exists()  # nothing happens on reading

    answer = client.post(f"/opportunities/{deal.pk}/delete/", follow=True)
    assert answer.redirect_chain[-1][0] == org.mine.get_absolute_url()
    assert "Opportunity Analytics renewal deleted." in answer.content.decode()
    assert not Opportunity.objects.filter(pk=deal.pk).exists()
    record = DeletedRecord.objects.get()
    assert record.deleted_by == org.rep
    assert "Analytics renewal" in record.object_label


def test_a_won_deal_without_sale_lines_says_the_sales_go_down(client, org):
    deal = OpportunityFactory(
        account=org.mine,
        owner=org.rep,
        name="Platform expansion",
        stage="Closed Won",
        status="won",
        probability=100,
        amount=Decimal("125000"),
    )
    client.force_login(org.ops)
    confirm = client.get(f"/opportunities/{deal.pk}/delete/").content.decode()
    assert (
        "It is won and no sale line records it, so it counts in the sales of Mine Group: they "
        "go down by 125,000 USD until it is restored."
    ) in confirm


def test_someone_who_does_not_see_the_account_cannot_open_or_delete_it(client, org):
    deal = OpportunityFactory(account=org.theirs, owner=org.other)
    client.force_login(org.rep)
    assert client.get(f"/opportunities/{deal.pk}/delete/").status_code == 404
    assert client.post(f"/opportunities/{deal.pk}/delete/").status_code == 404
    assert Opportunity.objects.filter(pk=deal.pk).exists()
