"""New-offering requests: ideas flagged "needs something we do not sell yet", rolled up
for product management by the kind of need — the accounts asking with the sum of their
ideas' annual values, the plans asking — each viewer seeing only what they may see; the
same roll-up as a page, a formula-safe CSV and through the API."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from keyplan.plans import services
from keyplan.plans.new_offerings import new_offering_rollup
from tests.plans.conftest import END, START, add_idea

MONITORING = "Multi-vendor monitoring"


def _flag(plan, user, value, label, title, need="Watch other vendors' machines too"):
    return add_idea(
        plan,
        user,
        value,
        title=title,
        needs_new_offering=True,
        new_offering_need=need,
        new_offering_category=label,
    )


@pytest.fixture
def asking(org, plan):
    """Ideas asking in three accounts' plans (hand-summed in the tests):
    Mine Group (rep): monitoring 250,000 + 100,000 (spelt differently); a plain idea
    900,000; a leasing idea 40,000, dropped. Teammate Corp (rep2): monitoring 75,000,
    leasing 60,000. Theirs Inc (other): leasing 30,000."""
    _flag(plan, org.rep, "250000", MONITORING, "Plant-wide monitoring")
    _flag(plan, org.rep, "100000", "  multi-vendor   MONITORING ", "Monitor the chillers")
    add_idea(plan, org.rep, "900000", title="Bigger service contract")
    dropped = _flag(plan, org.rep, "40000", "Leasing", "Lease the fleet")
    services.idea_move(idea=dropped, user=org.rep, stage="dropped")
    team = services.plan_create(
        account=org.teammate, user=org.rep2, period_start=START, period_end=END
    )
    _flag(team, org.rep2, "75000", MONITORING, "One screen for all sites")
    _flag(team, org.rep2, "60000", "Leasing", "Pay per use", need='=HYPERLINK("x")')
    theirs = services.plan_create(
        account=org.theirs, user=org.other, period_start=START, period_end=END
    )
    _flag(theirs, org.other, "30000", "leasing", "Leasing for the lab")
    return plan, team, theirs


def _summary(needs):
    return [
        (n.label, n.value, [(a.account.name, a.value, a.ideas) for a in n.accounts]) for n in needs
    ]


def test_sales_ops_see_every_account_grouped_and_summed(org, asking):
    plan, team, theirs = asking
    needs = new_offering_rollup(org.ops)
    assert _summary(needs) == [
        (
            MONITORING,
            Decimal("425000"),
            [("Mine Group", Decimal("350000"), 2), ("Teammate Corp", Decimal("75000"), 1)],
        ),
        (
            "Leasing",
            Decimal("90000"),
            [("Teammate Corp", Decimal("60000"), 1), ("Theirs Inc", Decimal("30000"), 1)],
        ),
    ]
    assert needs[0].plans == [plan, team]
    assert needs[1].plans == [team, theirs]


def test_a_rep_and_a_manager_see_only_their_accounts(org, asking):
    assert _summary(new_offering_rollup(org.rep)) == [
        (MONITORING, Decimal("350000"), [("Mine Group", Decimal("350000"), 2)])
    ]
    assert [(n.label, n.value) for n in new_offering_rollup(org.manager)] == [
        (MONITORING, Decimal("425000")),
        ("Leasing", Decimal("60000")),
    ]


def test_a_flagged_idea_must_say_what_is_needed(org, plan):
    with pytest.raises(ValidationError) as refused:
        add_idea(plan, org.rep, "1000", needs_new_offering=True)
    assert set(refused.value.message_dict) == {"new_offering_need", "new_offering_category"}
    assert not plan.ideas.exists()


def test_the_page_and_the_csv(org, asking, client):
    plan = asking[0]
    client.force_login(org.ops)
    page = client.get("/new-offerings/").content.decode()
    assert page.count('data-testid="offering-need"') == 2
    assert "425,000" in page and "350,000" in page and "90,000" in page
    assert f'href="/plans/{plan.pk}/#idea-' in page
    response = client.get("/new-offerings/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Need", "Total annual value", "Account", "Account value"]
    assert len(rows) == 1 + 5
    assert rows[1][:4] == [MONITORING, "425000.00", "Mine Group", "350000.00"]
    pay_per_use = next(r for r in rows if r[6] == "Pay per use")
    assert pay_per_use[-1] == '\'=HYPERLINK("x")'  # kept text, not run as a formula

    client.force_login(org.other)
    page = client.get("/new-offerings/").content.decode()
    assert "Theirs Inc" in page and "Mine Group" not in page and "425,000" not in page


def test_the_api_answers_the_same_roll_up(org, asking, api_client):
    api_client.force_authenticate(org.manager)
    data = api_client.get("/api/v1/new-offering-requests/").json()
    assert [(n["need"], n["value"]) for n in data] == [
        (MONITORING, "425000.00"),
        ("Leasing", "60000.00"),
    ]
    assert [(a["name"], a["value"]) for a in data[0]["accounts"]] == [
        ("Mine Group", "350000.00"),
        ("Teammate Corp", "75000.00"),
    ]
    assert {i["title"] for i in data[1]["ideas"]} == {"Pay per use"}


def test_the_page_reads_a_fixed_number_of_queries(org, plan, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(org.ops)
    _flag(plan, org.rep, "1000", MONITORING, "First")
    client.get("/new-offerings/")  # the session, warmed

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/new-offerings/").status_code == 200
            assert client.get("/new-offerings/export.csv").status_code == 200
        return len(ctx.captured_queries)

    one = queries()
    for n in range(6):
        _flag(plan, org.rep, "1000", f"Need {n}", f"Idea {n}")
    assert queries() == one
