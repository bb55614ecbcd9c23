"""The white-space page's filters show the choices its figures were computed with."""

import pytest

from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_a_first_visit_shows_buying_within_12_months_selected(client, org):
    """The figures are for 12 months; a "Buying within" showing its first choice,
    3 months, would mislead, and the next Show would silently switch to 3 months."""
    page = login(client, org.rep).get("/territory/whitespace/").content.decode()
    assert "purchases expected within 12 months" in page
    assert '<option value="12" selected>12 months</option>' in page
    assert '<option value="3" selected>' not in page
    assert '<option value="value" selected>Expected value</option>' in page


def test_a_chosen_horizon_stays_selected(client, org):
    page = login(client, org.rep).get("/territory/whitespace/?horizon=6").content.decode()
    assert "purchases expected within 6 months" in page
    assert '<option value="6" selected>6 months</option>' in page
