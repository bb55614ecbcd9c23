"""The customer's forms are protected against cross-site requests like every other."""

from django.test import Client

from keyplan.mutual.links import share_path
from keyplan.mutual.models import GoalResponse
from tests.mutual.conftest import share


def test_a_change_without_the_forms_token_is_refused(mutual_plan):
    path = share_path(share(mutual_plan))
    customer = Client(enforce_csrf_checks=True)
    page = customer.get(path).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    refused = customer.post(
        path, {"do": "confirm", "item": mutual_plan.goal.pk, "contact": mutual_plan.clara.pk}
    )
    assert refused.status_code == 403
    assert not GoalResponse.objects.exists()
