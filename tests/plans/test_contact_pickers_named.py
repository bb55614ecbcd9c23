"""Pickers of the customer's people tell two people of one name (two Laura Abbotts in
different jobs) apart by their title; anyone else is offered by name alone."""

import pytest

from tests.factories import ContactFactory


@pytest.fixture
def namesakes(org, plan):
    ContactFactory(
        account=org.mine, first_name="Laura", last_name="Abbott", title="Finance Director"
    )
    ContactFactory(
        account=org.mine_child, first_name="Laura", last_name="Abbott", title="Finance Manager"
    )


def _options(html: str, name: str) -> str:
    return html.split(f'name="{name}"')[1].split("</select>")[0]


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/plans/{pk}/map/pairings/new/", "their_executive"),
        ("/plans/{pk}/map/contacts/new/", "reports_to"),
        ("/plans/{pk}/action/new/", "contacts"),
        ("/plans/{pk}/goal/new/", "source_contact"),
    ],
)
def test_a_contact_picker_tells_namesakes_apart_by_title(org, plan, namesakes, client, url, field):
    client.force_login(org.rep)
    options = _options(client.get(url.format(pk=plan.pk)).content.decode(), field)
    assert "Laura Abbott (Finance Director)</option>" in options
    assert "Laura Abbott (Finance Manager)</option>" in options
    assert ">Clara Finance</option>" in options
