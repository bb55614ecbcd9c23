"""The white-space table's cells, written by the ``whitespace_cells`` tag: a value to the
unit with thousands grouped, the state in words, and whatever a user typed (a stage, a
product) escaped in the tooltip."""

import datetime
import re

import pytest

from tests.factories import OpportunityFactory, ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db

HOSTILE = '"><img src=x onerror=alert(1)>'


def test_cells_read_as_words_and_figures_and_escape_what_was_typed(client, org):
    dash, cast = ProductFactory(name="Dash"), ProductFactory(name="Cast")
    SaleLineFactory(account=org.mine, product=dash, amount="1234567.50", date=datetime.date.today())
    OpportunityFactory(account=org.mine, product=cast, amount=900, stage=HOSTILE)
    client.force_login(org.rep)
    for url in ("/territory/whitespace/", f"/accounts/{org.mine.pk}/"):
        html = client.get(url).content.decode()
        assert "<img src=x" not in html, url
        cells = re.findall(r'<td class="num ws-([a-z_]+)" title="([^"]*)">([^<]*)</td>', html)
        owned = [c for c in cells if c[0] == "owned"]
        assert ("owned", "Owned: bought in the window", "1,234,568") in owned, url
        pipeline = [c for c in cells if c[0] == "pipeline"]
        assert pipeline == [
            ("pipeline", "In pipeline (&quot;&gt;&lt;img src=x onerror=alert(1)&gt;)", "900")
        ], url
