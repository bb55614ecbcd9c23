"""``/api/v1/rollups/``: the same figures as the pages, the same visibility, a 400 with a
clear message for a bad ``by`` or period, and described in the OpenAPI schema."""

import pytest
from django.utils import timezone

from tests.salesplan import test_rollups
from tests.salesplan.test_rollups import TODAY

territory = test_rollups.territory  # the small territory of the roll-up tests
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)


def _rows(answer):
    return {row["label"]: row for row in answer.json()["rows"]}


def test_by_rep_the_same_figures_as_the_team_board(api_client, territory):
    api_client.force_authenticate(territory.exec)
    answer = api_client.get("/api/v1/rollups/?by=rep&period=FY2027")
    assert answer.status_code == 200
    body = answer.json()
    assert body["period"] == "FY 2027" and body["company_quota"] == "3000000.00"
    ann = _rows(answer)["Ann Archer"]
    assert (ann["quota"], ann["goals"], ann["objectives"], ann["won"], ann["pipeline"]) == (
        "1200000.00",
        "1200000.00",
        "1400000.00",
        "450000.00",
        "800000.00",
    )
    assert (ann["coverage"], ann["plans"], ann["overdue_actions"], ann["investments_waiting"]) == (
        "1.1",
        1,
        1,
        1,
    )
    assert "coverage 1.1× is below 2.5×" in ann["at_risk"]
    assert body["total"]["won"] == "780000.00"


def test_by_team_shows_the_team_quota_and_its_reps_sum(api_client, territory):
    api_client.force_authenticate(territory.ops)
    north = _rows(api_client.get("/api/v1/rollups/?by=team&period=2027"))["North"]
    assert (north["quota"], north["reps_quota"]) == ("2000000.00", "2200000.00")


def test_channel_says_which_figures_it_keeps(api_client, territory):
    api_client.force_authenticate(territory.exec)
    body = api_client.get("/api/v1/rollups/?by=channel&period=FY2027").json()
    assert body["kept"] == ["quota", "objectives"]
    assert [(r["label"], r["objectives"], r["won"]) for r in body["rows"]] == [
        ("Our own sales", "2100000.00", None),
        ("Partners", "300000.00", None),
    ]


def test_the_same_visibility_as_the_pages(api_client, territory):
    t = territory
    api_client.force_authenticate(t.m2)
    assert list(_rows(api_client.get("/api/v1/rollups/?by=rep&period=FY2027"))) == ["Cat Cole"]
    api_client.force_authenticate(t.ann)
    body = api_client.get("/api/v1/rollups/?by=rep&period=FY2027").json()
    assert [r["label"] for r in body["rows"]] == ["Ann Archer"] and body["company_quota"] is None
    api_client.force_authenticate(None)
    assert api_client.get("/api/v1/rollups/").status_code in (401, 403)


def test_bad_by_or_period_is_a_400_that_says_what_is_expected(api_client, territory):
    api_client.force_authenticate(territory.exec)
    answer = api_client.get("/api/v1/rollups/?by=region")
    assert answer.status_code == 400
    assert answer.json()["detail"] == (
        "“region” is not a roll-up: choose by=rep, team, tier, product_line, channel "
        "(rep is the default)."
    )
    answer = api_client.get("/api/v1/rollups/?period=spring")
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("period: “spring” is not a period")


def test_drill_down_total_is_the_figure(api_client, territory):
    t = territory
    api_client.force_authenticate(t.exec)
    body = api_client.get(
        f"/api/v1/rollups/drill/?by=rep&key={t.cat.pk}&measure=overdue&period=FY2027"
    ).json()
    assert (body["row"], body["counted"], body["total"], len(body["lines"])) == (
        "Cat Cole",
        True,
        "2.00",
        2,
    )


def test_described_in_the_openapi_schema(client):
    schema = client.get("/api/schema/?format=json").json()
    rollups = schema["paths"]["/api/v1/rollups/"]["get"]
    params = {p["name"]: p for p in rollups["parameters"]}
    assert set(params["by"]["schema"]["enum"]) == {"rep", "team", "tier", "product_line", "channel"}
    assert "period" in params
    assert "/api/v1/rollups/drill/" in schema["paths"]
