"""A change (PATCH) answers the whole record, as a GET does: the names of relations that
are empty are there as null, not left out (DRF leaves out a field whose default stands in
during a partial update)."""

import pytest

from tests.factories import ContactFactory, OpportunityFactory

pytestmark = pytest.mark.django_db


def test_patch_answers_the_names_of_empty_relations_as_null(as_user, org):
    client = as_user(org.rep)
    contact = ContactFactory(account=org.mine, reports_to=None)
    opportunity = OpportunityFactory(account=org.mine, product=None)
    for path, change, name in [
        (f"/api/v1/accounts/{org.mine.pk}/", {"industry": "Retail"}, "parent_name"),
        (f"/api/v1/contacts/{contact.pk}/", {"title": "CFO"}, "reports_to_name"),
        (f"/api/v1/opportunities/{opportunity.pk}/", {"next_step": "Call"}, "product_name"),
    ]:
        read = client.get(path).json()
        response = client.patch(path, change, format="json")
        assert response.status_code == 200, response.content
        answer = response.json()
        assert answer[name] is None, (path, answer)
        assert set(answer) == set(read), path
