"""Territory pages name people by their full name (the scope and owner menus), and
counts read as words: "1 role", not "1 roles" shouted in capitals."""

import re

import pytest

from keyplan.territory.models import StakeholderRole
from tests.factories import ProductLineFactory

pytestmark = pytest.mark.django_db


def test_the_scope_menu_names_people_not_usernames(client, org):
    org.rep.first_name, org.rep.last_name = "Amir", "Becker"
    org.rep.save()
    client.force_login(org.executive)
    html = client.get("/territory/").content.decode()
    scope = html.split('name="scope"')[1].split("</select>")[0]
    assert '<option value="rep:rep">Rep Amir Becker</option>' in scope
    assert ">Rep rep<" not in scope
    owners = client.get("/territory/whitespace/").content.decode()
    owners = owners.split('name="owner"')[1].split("</select>")[0]
    assert '<option value="rep">Amir Becker</option>' in owners


def test_a_count_of_one_role_is_singular_and_not_in_capitals(client, org):
    line = ProductLineFactory(name="Training")
    StakeholderRole.objects.create(product_line=line, name="HR head", title_keywords="HR")
    client.force_login(org.executive)
    html = client.get("/territory/audience/").content.decode()
    header = html.split("<thead>")[1].split("</thead>")[0]
    assert re.search(r'<div class="muted count">1 role</div>', header)
    css = b"".join(client.get("/static/keyplan/keyplan.css").streaming_content).decode()
    assert "th .count { text-transform: none" in css


def test_white_space_cells_and_their_legend_are_in_words(client, org):
    """A cell's tooltip says "Owned", "In pipeline (Proposal)" or "White space", not the
    codes owned / pipeline / white_space, and the account page's legend says how the
    orange figures are found, without "propensity"."""
    import datetime

    from tests.factories import OpportunityFactory, ProductFactory, SaleLineFactory

    dash, cast = ProductFactory(name="Dash"), ProductFactory(name="Cast")
    ProductFactory(name="Rare")
    SaleLineFactory(account=org.mine, product=dash, amount=500, date=datetime.date.today())
    OpportunityFactory(account=org.mine, product=cast, amount=900, stage="Proposal")
    client.force_login(org.rep)
    account = f"/accounts/{org.mine.pk}/"
    html = client.get(account).content.decode()  # before any prediction is learned
    assert "propensity" not in html
    assert "orange: white space (the share of similar accounts that buy it ×" in html
    assert 'title="White space">' in html
    for url in ("/territory/whitespace/", account):  # the page learns the predictions
        html = client.get(url).content.decode()
        titles = re.findall(r'class="num ws-[a-z_]+" title="([^"]*)"', html)
        assert "Owned: bought in the window" in titles, url
        assert "In pipeline (Proposal)" in titles, url
        assert not {"owned", "pipeline", "white_space"} & {t.split(" ")[0] for t in titles}
    assert "orange: white space (the probability of buying it within 12 months ×" in html


def test_a_date_that_is_not_one_is_named_by_its_field_not_a_command_line_flag(client, org):
    client.force_login(org.rep)
    for url in ("/territory/whitespace/?start=2026-13", "/territory/?end=soon"):
        html = client.get(url).content.decode()
        assert "--from" not in html and "--to " not in html, url
    assert "To “soon” is not a date (YYYY-MM-DD) or month (YYYY-MM)." in html
    html = client.get("/territory/whitespace/?start=2026-13").content.decode()
    assert "From “2026-13” is not a date (YYYY-MM-DD) or month (YYYY-MM)." in html


def test_the_command_names_the_currency_of_the_expected_value(org):
    import datetime
    from io import StringIO

    from django.core.management import call_command

    from tests.factories import ProductFactory, SaleLineFactory

    dash = ProductFactory(name="Dash")
    ProductFactory(name="Cast")
    SaleLineFactory(account=org.mine, product=dash, amount=500, date=datetime.date.today())
    out = StringIO()
    call_command("analyze", "whitespace", stdout=out)
    assert re.search(r"purchases expected, worth [\d,]+ USD in their first year\.", out.getvalue())
