"""Who sees and sets which quota: a rep only their own, a manager their team's and their
people's, sales ops and executives all; only sales ops and admins set quotas, and a
manager distributes only their own people's quotas."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from keyplan.people.choices import Role
from keyplan.salesplan.models import Quota
from keyplan.salesplan.periods import Period
from keyplan.salesplan.services import goals_save, quota_save
from tests.factories import TeamFactory, UserFactory

pytestmark = pytest.mark.django_db
FY = Period(2026)


@pytest.fixture
def quotas(org):
    other_manager = UserFactory(username="boss2", role=Role.MANAGER)
    other_team = TeamFactory(name="Mid-market", manager=other_manager)
    org.other.team, org.other.manager = other_team, other_manager
    org.other.save()
    org.other_manager = other_manager
    q = {}
    for name, kwargs in {
        "rep": {"level": "rep", "rep": org.rep},
        "rep2": {"level": "rep", "rep": org.rep2},
        "other": {"level": "rep", "rep": org.other},
        "team": {"level": "team", "team": org.team},
        "other_team": {"level": "team", "team": other_team},
        "company": {"level": "company"},
    }.items():
        q[name], _ = quota_save(user=org.ops, period=FY, amount=Decimal(1000), **kwargs)
    return q


def _seen(user):
    return {q.holder for q in Quota.objects.visible_to(user)}


def test_each_role_sees_the_quotas_it_should(org, quotas):
    rep, rep2, other = str(org.rep), str(org.rep2), str(org.other)
    assert _seen(org.rep) == {rep}
    assert _seen(org.manager) == {rep, rep2, "Enterprise"}
    assert _seen(org.other_manager) == {other, "Mid-market"}
    everything = {rep, rep2, other, "Enterprise", "Mid-market", "The company"}
    assert _seen(org.executive) == everything and _seen(org.ops) == everything


def test_only_sales_ops_and_admins_set_quotas(org, quotas):
    for person in (org.rep, org.manager, org.executive):
        with pytest.raises(PermissionDenied, match="Only sales operations and administrators"):
            quota_save(user=person, level="rep", rep=org.rep, period=FY, amount=Decimal(5))
    assert Quota.objects.get(pk=quotas["rep"].pk).amount == Decimal(1000)


def test_a_manager_distributes_their_people_s_quota_not_another_team_s(org, quotas):
    goals_save(user=org.manager, rep=org.rep, period=FY, amounts={org.mine.pk: Decimal(700)})
    goals_save(user=org.rep, rep=org.rep, period=FY, amounts={org.mine.pk: Decimal(800)})
    with pytest.raises(PermissionDenied, match="Only"):
        goals_save(user=org.manager, rep=org.other, period=FY, amounts={org.theirs.pk: 1})
    with pytest.raises(PermissionDenied):
        goals_save(user=org.rep2, rep=org.rep, period=FY, amounts={org.mine.pk: 1})
    with pytest.raises(PermissionDenied):
        goals_save(user=org.executive, rep=org.rep, period=FY, amounts={org.mine.pk: 1})


def test_quota_pages_follow_the_same_rule(client, org, quotas):
    client.force_login(org.rep)
    page = client.get("/quotas/?year=2026").content.decode()
    assert str(org.rep) in page and str(org.rep2) not in page and "Set a quota" not in page
    assert client.get(f"/quotas/{quotas['rep2'].pk}/goals/").status_code == 404
    assert client.get(f"/quotas/{quotas['rep'].pk}/goals/").status_code == 200
    client.force_login(org.manager)
    page = client.get("/quotas/?year=2026").content.decode()
    assert str(org.rep2) in page and str(org.other) not in page
    # A manager reads another team's rep's distribution? It is not even visible.
    assert client.get(f"/quotas/{quotas['other'].pk}/goals/").status_code == 404
    answer = client.post("/quotas/set/", {"holder": "company", "quarter": 0, "amount": "5"})
    assert answer.status_code == 403
