"""List pages label their filters in words a user would use ("Account", "Parent
account", "Product line", "Closes on or after"), never generated field names, and show
dates the way every other page does."""

import datetime
import re

import pytest

from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def labels(html: str) -> list[str]:
    form = html.split('class="filters"')[1].split("</form>")[0]
    return re.findall(r"<label[^>]*>([^<]*)</label>", form)


def test_the_opportunities_list_filters_are_in_words(client, org):
    client.force_login(org.executive)
    assert labels(client.get("/opportunities/").content.decode()) == [
        "Search",
        "Account",
        "Status",
        "Owner",
        "Product line",
        "Closes on or after",
        "Closes on or before",
    ]


def test_the_accounts_list_filters_are_in_words(client, org):
    client.force_login(org.executive)
    found = labels(client.get("/accounts/").content.decode())
    assert "Parent account" in found and "Under account" in found
    assert not [label for label in found if label.endswith(" id")]


def test_the_contacts_list_filters_are_in_words(client, org):
    client.force_login(org.executive)
    found = labels(client.get("/contacts/").content.decode())
    assert found[:2] == ["Search", "Account"]


def test_the_opportunities_list_shows_close_dates_like_every_other_page(client, org):
    OpportunityFactory(
        account=org.mine, name="Fleet renewal", close_date=datetime.date(2027, 3, 31)
    )
    client.force_login(org.rep)
    html = client.get("/opportunities/").content.decode()
    row = html.split("Fleet renewal")[-1].split("</tr>")[0]
    assert "2027-03-31" in row and "03/31/2027" not in row


def test_a_filter_left_empty_reads_any_not_dashes(client, org):
    client.force_login(org.executive)
    html = client.get("/opportunities/").content.decode()
    form = html.split('class="filters"')[1].split("</form>")[0]
    for name in ("status", "owner", "product_line"):
        first = form.split(f'name="{name}"')[1].split("</option>")[0]
        assert re.search(r'<option value=""( selected)?>Any$', first), first
    assert "---------" not in form
