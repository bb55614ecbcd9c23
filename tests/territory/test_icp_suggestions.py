"""The ICP editor suggests the closest existing value for a typed industry, country or
region that no account has ("Helthcare" → "Did you mean Healthcare?") before saving: the
save is refused with that message unless kept on purpose, and one click uses the
suggestion."""

import pytest

from keyplan.territory.models import IcpVersion
from tests.factories import AccountFactory

URL = "/territory/icp/"


@pytest.fixture
def accounts(org):
    AccountFactory(name="Clinic", industry="Healthcare", country="Germany", region="EMEA")
    AccountFactory(name="Bank", industry="Financial Services", country="France", region="EMEA")


def add(client, values, kind="industry_in", **extra):
    data = {"action": "add", "kind": kind, "values": values, "weight": 30, **extra}
    return client.post(URL, data, follow=True).content.decode()


def test_a_typo_is_refused_with_the_closest_existing_value(client, org, accounts):
    client.force_login(org.ops)
    page = add(client, "Helthcare, Manufacturing")
    assert "No account has the industry “Helthcare” (did you mean “Healthcare”?)." in page
    assert 'value="Helthcare, Manufacturing"' in page  # what was typed stays in the form
    assert not IcpVersion.objects.exists()
    # One click adds it with the suggestion.
    assert "Add with “Healthcare, Manufacturing”" in page
    add(client, "Helthcare, Manufacturing", values_fix="Healthcare, Manufacturing")
    assert IcpVersion.objects.get().criteria[0]["values"] == ["Healthcare", "Manufacturing"]


def test_country_and_region_typos_and_a_difference_in_case_are_caught(client, org, accounts):
    client.force_login(org.ops)
    page = add(client, "Germny, france", kind="country_in")
    assert (
        "No account has the countries “Germny” (did you mean “Germany”?), "
        "“france” (did you mean “France”?)."
    ) in page
    page = add(client, "EMAE", kind="region_in")
    assert "No account has the region “EMAE” (did you mean “EMEA”?)." in page
    assert not IcpVersion.objects.exists()


def test_a_value_can_be_kept_as_typed_on_purpose(client, org, accounts):
    client.force_login(org.ops)
    add(client, "Helthcare", keep_unknown="on")
    assert IcpVersion.objects.get().criteria[0]["values"] == ["Helthcare"]


def test_a_value_nothing_is_close_to_is_saved_and_the_page_says_no_account_has_it(
    client, org, accounts
):
    client.force_login(org.ops)
    page = add(client, "Energy, Healthcare")
    assert IcpVersion.objects.get().criteria[0]["values"] == ["Energy", "Healthcare"]
    assert "No account has the industry “Energy” yet" in page
