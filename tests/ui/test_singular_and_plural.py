"""Counts read as words: "1 row", never "1 rows"."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_list_of_one_says_one_row(client, org):
    client.force_login(org.executive)
    html = client.get("/accounts/?q=Teammate").content.decode()
    assert "· 1 row</span>" in html
