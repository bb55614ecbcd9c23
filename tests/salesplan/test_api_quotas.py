"""``/api/v1/quotas/``: read within each person's scope, written by sales ops and admins,
with the version rules of every writable resource."""

import pytest

from keyplan.salesplan.models import Quota

pytestmark = pytest.mark.django_db


def _create(client, **data):
    return client.post("/api/v1/quotas/", data, format="json")


def test_sales_ops_set_quotas_and_reps_read_only_their_own(api_client, org):
    api_client.force_authenticate(org.ops)
    mine = _create(api_client, level="rep", rep=org.rep.pk, fiscal_year=2026, amount="1200000")
    assert mine.status_code == 201 and mine.json()["period"] == "FY 2026 (January – December 2026)"
    team = _create(api_client, level="team", team=org.team.pk, fiscal_year=2026, amount="4200000")
    assert team.status_code == 201
    again = _create(api_client, level="rep", rep=org.rep.pk, fiscal_year=2026, amount="1")
    assert again.status_code == 400 and "already has a quota for FY 2026" in again.json()["detail"]
    wrong = _create(api_client, level="team", rep=org.rep.pk, fiscal_year=2026, amount="1")
    assert wrong.status_code == 400 and "Say which team's quota it is." in str(wrong.json())
    api_client.force_authenticate(org.rep)
    seen = api_client.get("/api/v1/quotas/").json()["results"]
    assert [q["holder"] for q in seen] == [str(org.rep)]
    refused = _create(api_client, level="rep", rep=org.rep.pk, fiscal_year=2027, amount="9")
    assert refused.status_code == 403
    api_client.force_authenticate(org.manager)
    assert {q["holder"] for q in api_client.get("/api/v1/quotas/").json()["results"]} == {
        str(org.rep),
        "Enterprise",
    }


def test_a_change_without_a_version_is_428_and_from_a_stale_one_409(api_client, org):
    api_client.force_authenticate(org.ops)
    pk = _create(api_client, level="company", fiscal_year=2026, amount="100").json()["id"]
    url = f"/api/v1/quotas/{pk}/"
    assert api_client.patch(url, {"amount": "200"}, format="json").status_code == 428
    ok = api_client.patch(url, {"amount": "200", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok["ETag"] == '"2"'
    stale = api_client.patch(url, {"amount": "300", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["amount"] == "200.00"
    moved = api_client.patch(url, {"fiscal_year": 2030, "version": 2}, format="json")
    assert moved.status_code == 400 and "fixed once set" in str(moved.json())
    assert Quota.objects.get(pk=pk).amount == 200
