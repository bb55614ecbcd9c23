"""The accounts list: search, filters, sorting, and HTMX partial refresh."""

import pytest

from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory(org):
    AccountFactory(name="Acme Robotics", industry="Robotics", country="Japan", owner=org.rep)
    AccountFactory(name="Beta Foods", industry="Food", country="France", owner=org.rep)
    AccountFactory(name="Acme Foods", industry="Food", country="Japan", owner=org.rep2)
    return org


def names(response):
    return [row.record.name for row in response.context["table"].paginated_rows]


def test_search_by_name_or_external_id(client, territory):
    client.force_login(territory.executive)
    assert names(client.get("/accounts/?q=acme")) == ["Acme Foods", "Acme Robotics"]
    ext = territory.mine.external_id
    assert names(client.get(f"/accounts/?q={ext}")) == ["Mine Group"]


def test_filters_combine(client, territory):
    client.force_login(territory.executive)
    assert names(client.get("/accounts/?industry=Food&country=Japan")) == ["Acme Foods"]
    assert names(client.get(f"/accounts/?owner={territory.rep2.pk}")) == [
        "Acme Foods",
        "Teammate Corp",
    ]
    assert names(client.get(f"/accounts/?parent={territory.mine.pk}")) == ["Mine Division"]


def test_filters_never_widen_visibility(client, territory):
    client.force_login(territory.rep)
    # Asking for another rep's accounts by owner shows nothing, not their accounts.
    assert names(client.get(f"/accounts/?owner={territory.other.pk}")) == []


def test_sorting_by_column(client, territory):
    client.force_login(territory.rep)
    rows = names(client.get("/accounts/?sort=-name"))
    assert rows == sorted(rows, reverse=True)


def test_invalid_filter_value_shows_a_message_not_an_error(client, territory):
    client.force_login(territory.rep)
    response = client.get("/accounts/?kind=galaxy")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert names(response) == []


def test_htmx_request_gets_only_the_table(client, territory):
    client.force_login(territory.rep)
    response = client.get("/accounts/?q=beta", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "Beta Foods" in body
    assert "Acme Robotics" not in body
