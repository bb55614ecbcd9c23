"""An account page lists its likeliest white space in words — product, probability,
expected value and the reason — not only in tooltips a phone cannot show."""

import re

import pytest
from django.contrib.auth import get_user_model

from keyplan.accounts.models import Account

pytestmark = pytest.mark.django_db


def test_the_account_page_lists_its_likeliest_white_space_with_reasons(client, generated):
    rep = get_user_model().objects.get(username="rep")
    client.force_login(rep)
    client.get("/territory/whitespace/")  # learns today's predictions
    for account in Account.objects.visible_to(rep).order_by("pk")[:10]:
        html = client.get(f"/accounts/{account.pk}/").content.decode()
        if 'data-testid="account-whitespace-best"' in html:
            break
    else:
        pytest.fail("no account page lists its likeliest white space")
    listed = html.split('data-testid="account-whitespace-best"')[1].split("</ul>")[0]
    rows = re.findall(
        r'<li><strong>([^<]+)</strong>: <span class="ws-figures">(\d+)% likely to buy it '
        r"within 12 months, expected ([\d,]+) USD in the first year</span><br>"
        r'<span class="muted">([^<]+)</span></li>',
        listed,
    )
    assert 1 <= len(rows) <= 5
    # Ordered by expected value, not by probability: the heading says so (a rep read
    # "Likeliest" above a 3% cell listed before a 5% one as a mistake).
    assert 'Likeliest to pay off <span class="muted">(highest expected value first)</span>' in html
    assert "point at a cell for the reasons" not in html  # a phone cannot point
    values = [int(v.replace(",", "")) for _name, _p, v, _why in rows]
    assert values == sorted(values, reverse=True) and values[0] > 0
    assert all("ought within a year by " in why for *_rest, why in rows)
    assert "in the first year from what it is likely to start buying within 12 months" in html
