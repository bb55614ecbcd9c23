"""The People and Products lists' yes/no "Active" filter says "Any" when left empty,
as the other menus do, never django-filter's "Unknown"."""

import pytest

from keyplan.people.choices import Role
from keyplan.people.models import User


@pytest.fixture
def admin_user(db):
    return User.objects.create_user(username="adm", password="x", role=Role.ADMIN)


@pytest.mark.parametrize("url", ["/people/", "/products/"])
def test_the_active_filter_reads_any_when_left_empty(admin_user, client, url):
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    menu = html.split('name="is_active"')[1].split("</select>")[0]
    assert menu.split("</option>")[0].endswith("selected>Any")
    assert "Unknown" not in menu
    assert ">Yes<" in menu and ">No<" in menu
