"""Generating into a database that already has people: they keep their passwords and
names, and take their place in the generated organisation."""

import pytest
from django.contrib.auth import authenticate

from keyplan.people.models import User
from tests.factories import UserFactory
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


def test_an_existing_admin_keeps_their_password_and_name():
    UserFactory(username="admin", first_name="Real", last_name="Admin", role="rep")
    output = run_generate("--accounts", 20)
    assert "1 of these users existed already and kept their passwords" in output
    admin = User.objects.get(username="admin")
    assert authenticate(username="admin", password="pw") == admin
    assert authenticate(username="admin", password="demo") is None
    assert (admin.first_name, admin.last_name) == ("Real", "Admin")
    assert admin.role == "admin" and admin.is_superuser
    # Everyone the generator created signs in with the demo password.
    assert authenticate(username="rep", password="demo") is not None
