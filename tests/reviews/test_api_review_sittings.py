"""``/api/v1/review-sittings/``: sittings as the pages show them, to whoever sees them."""

import pytest

from keyplan.reviews import services
from tests.reviews.conftest import MON, Q1, at

pytestmark = pytest.mark.django_db


def test_the_rep_reads_their_sitting_and_others_do_not(api_client, team):
    sitting = services.sitting_schedule(
        user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 9), location="Room 4"
    )
    api_client.force_authenticate(team.rep)
    listed = api_client.get("/api/v1/review-sittings/?quarter=1&fiscal_year=2027").json()
    assert [s["id"] for s in listed["results"]] == [sitting.pk]
    body = api_client.get(f"/api/v1/review-sittings/{sitting.pk}/").json()
    assert body["period"] == "Q1 FY 2027"
    assert (body["minutes"], body["state"], body["location"]) == (60, "scheduled", "Room 4")
    assert [(i["account"], i["outcome"], i["plan_version"]) for i in body["items"]] == [
        ("Atlas Freight", "", None),
        ("Mine Group", "", None),
    ]
    assert api_client.post("/api/v1/review-sittings/", {}).status_code == 405
    api_client.force_authenticate(team.other)
    assert api_client.get(f"/api/v1/review-sittings/{sitting.pk}/").status_code == 404
    assert api_client.get("/api/v1/review-sittings/").json()["results"] == []


def test_a_held_sittings_outcomes_and_versions_are_read(api_client, team):
    sitting = services.sitting_schedule(
        user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 9)
    )
    for item in sitting.items.all():
        services.item_record(item=item, user=team.manager, version=1, outcome="off_track")
    services.sitting_close(sitting=sitting, user=team.manager, version=sitting.version)
    api_client.force_authenticate(team.manager)
    body = api_client.get(f"/api/v1/review-sittings/{sitting.pk}/").json()
    assert body["state"] == "held"
    assert [(i["outcome"], i["plan_version"]) for i in body["items"]] == [
        ("off_track", 2),  # v1 at activation, v2 kept at the review
        ("off_track", 2),
    ]


@pytest.mark.parametrize(
    "query, field",
    [
        ("fiscal_year=99999999999", "fiscal_year"),
        ("quarter=5", "quarter"),
        ("rep=abc", "rep"),
        ("manager=99999999999999999999", "manager"),
        ("status=missed", "status"),
    ],
)
def test_a_filter_typed_wrong_is_a_field_error_not_a_failure(api_client, team, query, field):
    api_client.force_authenticate(team.manager)
    answer = api_client.get(f"/api/v1/review-sittings/?{query}")
    assert answer.status_code == 400
    assert field in answer.json()
