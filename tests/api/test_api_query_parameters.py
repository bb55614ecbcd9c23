"""Numbers and dates typed into a query string or a URL: anything out of range is a 400
naming the parameter (or a 404 for an id that cannot exist), never a server error."""

import pytest

pytestmark = pytest.mark.django_db

HUGE = "10000000000000000000"  # beyond any database integer


@pytest.mark.parametrize("param", ["before", "after"])
@pytest.mark.parametrize("value", [HUGE, "-1", "0", "abc", "1.5"])
def test_wallet_history_run_ids_out_of_range_are_400(as_user, org, param, value):
    response = as_user(org.executive).get(f"/api/v1/analyses/wallet/history/?{param}={value}")
    assert response.status_code == 400
    assert param in response.json()
    assert "wallet run id" in response.json()[param][0]


@pytest.mark.parametrize("value", ["58324151", "0", "-5", "abc", HUGE])
def test_audience_days_out_of_range_are_400(as_user, org, value):
    response = as_user(org.executive).get(f"/api/v1/analyses/audience/?days={value}")
    assert response.status_code == 400
    assert response.json() == {"days": ["A number of days from 1 to 3650."]}


def test_audience_days_in_range_answer(as_user, org):
    assert as_user(org.executive).get("/api/v1/analyses/audience/?days=3650").status_code == 200


@pytest.mark.parametrize("pk", ["AAA", "1.5", HUGE])
def test_responding_to_a_help_request_that_cannot_exist_is_404(as_user, org, pk):
    response = as_user(org.rep).post(
        f"/api/v1/plan-help-requests/{pk}/respond/", {"status": "committed"}, format="json"
    )
    assert response.status_code == 404
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "endpoint", ["pareto", "tiers", "whitespace", "wallet", "audience", "wallet/history"]
)
@pytest.mark.parametrize(
    "query",
    ["from=9999-12", "to=0001-01", "from=0001-01-01&to=9999-12-31", "from=10000-01-01"],
)
def test_windows_at_the_ends_of_the_calendar_are_400_or_answered(as_user, org, endpoint, query):
    response = as_user(org.executive).get(f"/api/v1/analyses/{endpoint}/?{query}")
    assert response.status_code in (200, 400), response.content
    if response.status_code == 400:
        assert response.json()["detail"]


@pytest.mark.parametrize(
    ("endpoint", "query"),
    [
        ("pareto", "threshold=nan"),
        ("pareto", "threshold=inf"),
        ("wallet", "factor=nan"),
        ("wallet", "factor=-inf"),
        ("wallet", "aspirational=true&factor=1e400"),
    ],
)
def test_numbers_that_are_not_numbers_are_400(as_user, org, endpoint, query):
    response = as_user(org.executive).get(f"/api/v1/analyses/{endpoint}/?{query}")
    assert response.status_code == 400, response.content
    name = query.split("&")[-1].split("=")[0]
    assert response.json()[name] == [f"“{query.split('=')[-1]}” is not a number."]
