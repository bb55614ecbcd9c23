"""A list page refusing a filter value says which filter, in the words of its label, and
the value that was typed — never the filter's internal name."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_bad_date_in_a_filter_names_the_filter_by_its_label(client, org):
    client.force_login(org.rep)
    html = client.get("/opportunities/?close_after=next+tuesday&status=open").content.decode()
    error = html.split('data-testid="filter-errors">')[1].split("</div>")[0]
    assert "Closes on or after" in error
    assert "next tuesday" in error
    assert "Enter a valid date." in error
    assert "close_after" not in error


def test_a_day_that_does_not_exist_names_the_filter_by_its_label(client, org):
    client.force_login(org.executive)
    html = client.get("/opportunities/?close_before=31.02.2027").content.decode()
    error = html.split('data-testid="filter-errors">')[1].split("</div>")[0]
    assert error.startswith("Closes on or before “31.02.2027”:")
    assert "close_before" not in error
