"""A deal's stage history is recorded wherever its stage changes — created through the
API (its first stage), moved through the API (by whom), created or moved by an import
(one bulk insert per batch, not a query per row) — and the opportunity's page lists it:
stage, date, who."""

import csv
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyplan.sales.models import Opportunity, OpportunityStageChange
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(loading_client):
    def sign_in(user):
        loading_client.force_authenticate(user)
        return loading_client

    return sign_in


@pytest.fixture
def run_import():
    def run(*args):
        out = StringIO()
        try:
            call_command("import", *map(str, args), "--json", stdout=out)
            code = 0
        except SystemExit as exc:
            code = exc.code
        return code, json.loads(out.getvalue())

    return run


def deal(account, **fields):
    return {
        "name": "Analytics rollout",
        "account": account.pk,
        "amount": "80000.00",
        "created_date": "2026-01-10",
        "close_date": "2026-05-31",
        **fields,
    }


def history(opportunity_id):
    return list(
        OpportunityStageChange.objects.filter(opportunity_id=opportunity_id)
        .order_by("changed_at", "pk")
        .values_list("from_stage", "to_stage", "probability", "changed_by__username", "source")
    )


def test_api_records_the_first_stage_and_each_move_by_whom(as_user, org):
    api = as_user(org.rep)
    created = api.post("/api/v1/opportunities/", deal(org.mine, stage="Prospecting"), format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert history(pk) == [("", "Prospecting", 10, "rep", "API")]

    moved = api.patch(f"/api/v1/opportunities/{pk}/", {"stage": "Proposal"}, format="json")
    assert moved.status_code == 200, moved.json()
    # A change that leaves the stage alone is not a step in the history.
    assert (
        api.patch(f"/api/v1/opportunities/{pk}/", {"amount": "90000.00"}, format="json").status_code
        == 200
    )
    won = api.patch(f"/api/v1/opportunities/{pk}/", {"stage": "Closed Won"}, format="json")
    assert won.status_code == 200, won.json()
    assert [(f, t) for f, t, *_ in history(pk)] == [
        ("", "Prospecting"),
        ("Prospecting", "Proposal"),
        ("Proposal", "Closed Won"),
    ]
    # The API answers with the history, oldest first.
    steps = won.json()["stage_history"]
    assert [(s["from_stage"], s["to_stage"], s["who"]) for s in steps] == [
        ("", "Prospecting", str(org.rep)),
        ("Prospecting", "Proposal", str(org.rep)),
        ("Proposal", "Closed Won", str(org.rep)),
    ]
    assert api.get(f"/api/v1/opportunities/{pk}/").json()["stage_history"] == steps


def write_csv(path, rows):
    fields = ["external_id", "name", "account", "stage", "amount", "close_date"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(fields)
        writer.writerows(rows)


def test_an_import_records_new_deals_and_moves_in_one_insert(tmp_path, run_import, org):
    path = tmp_path / "opportunities.csv"
    rows = [
        [f"OPP-{i}", f"Deal {i}", org.mine.name, "Qualification", "1000", "2026-12-01"]
        for i in range(40)
    ]
    write_csv(path, rows)
    with CaptureQueriesContext(connection) as queries:
        code, report = run_import("opportunities", path)
    assert code == 0 and report["created"] == 40, report
    table = OpportunityStageChange._meta.db_table
    inserts = [q for q in queries.captured_queries if q["sql"].startswith(f'INSERT INTO "{table}"')]
    assert len(inserts) == 1  # one bulk insert for the 40 deals, no query per row
    assert (
        OpportunityStageChange.objects.filter(from_stage="", to_stage="Qualification").count() == 40
    )

    # Re-imported: two deals moved on, the rest unchanged (no new history for them).
    rows[0][3], rows[1][3] = "Proposal", "Closed Lost"
    write_csv(path, rows)
    code, report = run_import("opportunities", path)
    assert code == 0 and report["updated"] == 2, report
    first = Opportunity.objects.get(external_id="OPP-0")
    assert [(f, t, s) for f, t, _p, _u, s in history(first.pk)] == [
        ("", "Qualification", "import"),
        ("Qualification", "Proposal", "import"),
    ]
    assert OpportunityStageChange.objects.count() == 42


def test_the_opportunity_page_lists_the_history(client, as_user, org):
    api = as_user(org.rep)
    pk = api.post(
        "/api/v1/opportunities/", deal(org.mine, stage="Prospecting"), format="json"
    ).json()["id"]
    api.patch(f"/api/v1/opportunities/{pk}/", {"stage": "Negotiation"}, format="json")
    page = login(client, org.rep).get(f"/opportunities/{pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    section = html[html.index('data-testid="stage-history"') :]
    assert "created at this stage" in section
    assert section.index("Prospecting") < section.index("Negotiation")
    assert "from Prospecting" in section and str(org.rep) in section
