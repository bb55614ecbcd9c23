"""Under each account of the white-space table, its industry and size read as words a
sales person understands: "Retail · 1,000–9,999 employees", as the reasons beside the
best cells say it; "Retail · 1,000–9,999" alone read like an amount of money."""

import re

import pytest

from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


def test_the_size_under_each_account_says_employees(client, db):
    from django.contrib.auth import get_user_model

    from keyplan.territory.predictions import whitespace_predictions

    run_generate("--accounts", 60, "--seed", 11, "--no-plans")
    whitespace_predictions(by="product", horizon=12)
    client.force_login(get_user_model().objects.get(username="ops"))
    page = client.get("/territory/whitespace/?page=1").content.decode()
    table = page[page.index('data-testid="whitespace-table"') :]
    under = re.findall(r'</a><div class="muted">([^<]*)</div>', table)
    assert under, "no account rows"
    sizes = ("1–99 employees", "100–999 employees", "1,000–9,999 employees", "10,000+ employees")
    assert all(text.endswith(sizes + ("employees unknown",)) for text in under), under[:5]
