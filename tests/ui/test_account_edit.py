"""Creating and editing accounts in the browser form: field-level errors, nothing changed
on bad input, hierarchy kept consistent."""

import pytest

from keyplan.accounts.models import Account, AccountLineage

pytestmark = pytest.mark.django_db


def form_data(account, **changes):
    data = {
        "name": account.name,
        "external_id": account.external_id,
        "kind": account.kind,
        "parent": account.parent.external_id if account.parent else "",
        "industry": account.industry,
        "country": account.country,
        "region": account.region,
        "employees": account.employees,
        "annual_revenue": account.annual_revenue,
        "website": account.website,
        "owner": account.owner_id or "",
        "version": account.version,  # the form as loaded carries it (issue 14)
    }
    data.update(changes)
    return data


def test_invalid_values_get_field_errors_and_change_nothing(client, org):
    client.force_login(org.rep)
    response = client.post(
        f"/accounts/{org.mine.pk}/edit/",
        form_data(org.mine, name="", employees="-5", website="not a url"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"name", "employees", "website"}
    assert b'id="id_name_errors"' in response.content
    org.mine.refresh_from_db()
    assert org.mine.name == "Mine Group"


def test_parent_that_would_make_a_cycle_is_refused(client, org):
    client.force_login(org.rep)
    response = client.post(
        f"/accounts/{org.mine.pk}/edit/",
        form_data(org.mine, parent=org.mine_child.external_id),
    )
    assert response.status_code == 200
    assert "cannot be its own ancestor" in str(response.context["form"].errors["parent"])
    org.mine.refresh_from_db()
    assert org.mine.parent_id is None


def test_parent_must_be_an_account_the_user_can_see(client, org):
    client.force_login(org.rep)
    response = client.post(
        f"/accounts/{org.mine.pk}/edit/", form_data(org.mine, parent=org.theirs.external_id)
    )
    assert "No account you can see" in str(response.context["form"].errors["parent"])


def test_moving_an_account_under_a_new_parent_by_name(client, org):
    client.force_login(org.executive)
    response = client.post(
        f"/accounts/{org.teammate.pk}/edit/",
        form_data(org.teammate, parent="  mine   group "),
    )
    assert response.status_code == 302
    org.teammate.refresh_from_db()
    assert org.teammate.parent == org.mine and org.teammate.depth == 1
    assert AccountLineage.objects.filter(ancestor=org.mine, descendant=org.teammate).exists()


def test_rep_creates_an_account_they_then_own_and_see(client, org):
    client.force_login(org.rep)
    response = client.post(
        "/accounts/new/",
        {"name": "Newco", "external_id": "NEW-1", "kind": "legal_entity", "owner": org.other.pk},
    )
    assert response.status_code == 302
    newco = Account.objects.get(external_id="NEW-1")
    # A rep cannot hand the new account to someone else: the owner field is theirs.
    assert newco.owner == org.rep
    assert client.get(newco.get_absolute_url()).status_code == 200


def test_duplicate_external_id_is_a_field_error(client, org):
    client.force_login(org.executive)
    response = client.post(
        "/accounts/new/", {"name": "Dupe", "external_id": org.mine.external_id, "kind": "division"}
    )
    assert response.status_code == 200
    assert "external_id" in response.context["form"].errors
    assert Account.objects.filter(name="Dupe").count() == 0
