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
