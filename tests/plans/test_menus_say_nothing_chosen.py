"""The plan's forms offer "nothing chosen" as "—", as every page writes an empty value,
never Django's "---------"."""


def _first_option(html: str, name: str) -> str:
    return html.split(f'name="{name}"')[1].split("</option>")[0].rsplit(">", 1)[1]


def test_the_idea_form_menus_read_a_dash_for_nothing_chosen(org, plan, client):
    client.force_login(org.rep)
    html = client.get(f"/plans/{plan.pk}/idea/new/").content.decode()
    assert _first_option(html, "goal") == "—"
    assert _first_option(html, "product_line") == "—"
    assert "---------" not in html


def test_the_action_and_basics_forms_read_a_dash_for_nothing_chosen(org, plan, client):
    client.force_login(org.rep)
    for url in (f"/plans/{plan.pk}/action/new/", f"/plans/{plan.pk}/section/basics/"):
        html = client.get(url).content.decode()
        assert "---------" not in html, url


def test_the_map_contact_form_reads_a_dash_for_nothing_chosen(org, plan, client):
    client.force_login(org.rep)
    html = client.get(f"/plans/{plan.pk}/map/contacts/new/").content.decode()
    assert _first_option(html, "seniority") == "—"
    assert _first_option(html, "reports_to") == "—"
    assert "---------" not in html
