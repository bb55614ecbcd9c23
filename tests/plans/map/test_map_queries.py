"""The map page reads a fixed number of queries, however many contacts the account has."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyplan.accounts.choices import DecisionRole, RelationshipStrength, Seniority
from keyplan.catalog.models import ProductLine
from keyplan.plans import services
from keyplan.plans.relationships import decision_makers_covered, map_warnings
from keyplan.territory.models import StakeholderRole
from tests.conftest import login
from tests.factories import ContactFactory, InteractionFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = list(DecisionRole.values)
STRENGTHS = list(RelationshipStrength.values)


def _people(org, n):
    owners = [org.rep, org.manager, UserFactory(username="se1")]
    managers = []
    for i in range(n):
        contact = ContactFactory(
            account=org.mine if i % 3 else org.mine_child,
            decision_role=ROLES[i % len(ROLES)],
            relationship_strength=STRENGTHS[i % len(STRENGTHS)],
            relationship_owner=owners[i % len(owners)],
            seniority=Seniority.VP if i % 5 == 0 else Seniority.MANAGER,
            reports_to=managers[(i - 1) // 2] if managers and i % 3 else None,
        )
        managers.append(contact)
    return managers


@pytest.fixture
def busy(org, plan):
    line = ProductLine.objects.create(name="Analytics")
    StakeholderRole.objects.create(product_line=line, name="CFO", title_keywords="CFO")
    for their in (org.cfo, org.cio):
        services.element_save(
            kind="pairing",
            plan=plan,
            user=org.rep,
            our_executive=org.executive,
            their_executive=their,
        )
        meeting = InteractionFactory(account=org.mine, is_executive=True)
        meeting.contacts.set([their])
        meeting.participants.set([org.executive])
    return line


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_map_page_queries_do_not_grow_with_contacts(
    client, org, plan, busy, django_assert_max_num_queries
):
    login(client, org.rep)
    url = f"/plans/{plan.pk}/map/"
    _people(org, 3)
    few = _count(client, url)
    _people(org, 35)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count('data-testid="map-contact"') == 40
    with django_assert_max_num_queries(few + 4):  # the filters: 2 lineages, account, line
        client.get(f"{url}?business_unit={org.mine_child.pk}&product_line={busy.pk}")


def test_selectors_read_a_fixed_number_of_queries(org, plan, busy, django_assert_max_num_queries):
    _people(org, 40)
    with django_assert_max_num_queries(3):
        map_warnings(plan)
    with django_assert_max_num_queries(2):
        decision_makers_covered(plan)
