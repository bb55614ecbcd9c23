"""The quota board: a team's quota beside what its reps' quotas add up to."""

from decimal import Decimal

import pytest

from keyplan.salesplan.models import Quota, QuotaChange
from keyplan.salesplan.periods import Period
from keyplan.salesplan.services import StaleSave, quota_save

pytestmark = pytest.mark.django_db


def test_team_quota_and_the_sum_of_its_reps_both_shown(client, org):
    fy = Period(2026)
    quota_save(user=org.ops, level="team", team=org.team, period=fy, amount=Decimal(4_200_000))
    quota_save(user=org.ops, level="rep", rep=org.rep, period=fy, amount=Decimal(2_530_000))
    quota_save(user=org.ops, level="rep", rep=org.rep2, period=fy, amount=Decimal(2_300_000))
    client.force_login(org.manager)
    raw = client.get("/quotas/?year=2026").content.decode()
    page = " ".join(raw.split())
    assert (
        "Team quota <strong>4,200,000 USD</strong>; reps' quotas add up to 4,830,000 USD — 115% "
        "of the team's, over-assignment." in page
    )
    # In the table an amount stays on one line at phone width (a no-break space).
    assert '<td class="num">2,530,000\u00a0USD</td>' in raw


def test_the_company_quota_beside_its_reps_says_over_assignment_in_words(client, org):
    fy = Period(2026)
    quota_save(user=org.ops, level="company", period=fy, amount=Decimal(4_000_000))
    quota_save(user=org.ops, level="team", team=org.team, period=fy, amount=Decimal(4_000_000))
    quota_save(user=org.ops, level="rep", rep=org.rep, period=fy, amount=Decimal(2_530_000))
    quota_save(user=org.ops, level="rep", rep=org.rep2, period=fy, amount=Decimal(2_300_000))
    client.force_login(org.ops)
    page = " ".join(client.get("/quotas/?year=2026").content.decode().split())
    assert "The teams&#x27; quotas add up to exactly the company quota." in page
    assert (
        "The reps&#x27; quotas add up to 4,830,000 USD, 830,000 USD (21%) more than the "
        "company quota of 4,000,000 USD: that is over-assignment" in page
    )


def test_sales_ops_set_a_quota_on_the_page_with_amounts_as_people_write_them(client, org):
    client.force_login(org.ops)
    answer = client.post(
        "/quotas/set/",
        {"year": "2026", "holder": f"rep:{org.rep.pk}", "quarter": "2", "amount": "1,250,000"},
        follow=True,
    )
    quota = Quota.objects.get(rep=org.rep)
    assert (quota.fiscal_year, quota.quarter, quota.amount) == (2026, 2, Decimal(1_250_000))
    assert "Quota set" in answer.content.decode()
    answer = client.post(
        "/quotas/set/",
        {"year": "2026", "holder": f"rep:{org.rep.pk}", "quarter": "2", "amount": "lots"},
        follow=True,
    )
    assert "“lots” is not an amount: write it like 4,230,000" in answer.content.decode()


def test_a_stale_quota_save_is_refused_and_says_who_saved(org):
    fy = Period(2026)
    quota, _ = quota_save(user=org.ops, level="company", period=fy, amount=Decimal(100))
    quota_save(user=org.ops, level="company", period=fy, amount=Decimal(200), version=1)
    with pytest.raises(
        StaleSave, match=r"saved the quota for The company · FY 2026 at .* \(it is now 200 USD\)"
    ):
        quota_save(user=org.ops, level="company", period=fy, amount=Decimal(300), version=1)
    assert Quota.objects.get(pk=quota.pk).amount == Decimal(200)
    trail = list(QuotaChange.objects.filter(object_id=quota.pk).values_list("changes", flat=True))
    assert trail == [{"amount": ["100", "200"]}, {"amount": [None, "100"]}]


def test_the_board_makes_no_query_per_rep_or_team(client, org):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from keyplan.people.choices import Role
    from tests.factories import TeamFactory, UserFactory

    fy = Period(2026)

    def add(n):
        team = TeamFactory(name=f"Team {n}")
        for i in range(3):
            rep = UserFactory(username=f"r{n}-{i}", role=Role.REP, team=team)
            for q in (0, 1, 2, 3, 4):
                quota_save(user=org.ops, level="rep", rep=rep, period=Period(2026, q), amount=100)
        quota_save(user=org.ops, level="team", team=team, period=fy, amount=250)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/quotas/?year=2026").status_code == 200
        return len(ctx.captured_queries)

    client.force_login(org.ops)
    add(0)
    count()
    small = count()
    for n in range(1, 6):
        add(n)
    assert count() == small


def test_a_refused_quota_keeps_what_was_typed(client, org):
    client.force_login(org.ops)
    answer = client.post(
        "/quotas/set/",
        {"year": "2026", "holder": f"rep:{org.rep.pk}", "quarter": "3", "amount": "1.2 million"},
    )
    page = answer.content.decode()
    assert answer.status_code == 400
    assert "“1.2 million” is not an amount" in page
    assert 'value="1.2 million"' in page
    assert f'value="rep:{org.rep.pk}" selected' in page and 'value="3" selected' in page
    assert not Quota.objects.exists()


def test_a_rep_is_not_told_their_team_has_no_quota_when_it_is_only_hidden(client, org):
    fy = Period(2026)
    quota_save(user=org.ops, level="team", team=org.team, period=fy, amount=Decimal(4_200_000))
    quota_save(user=org.ops, level="rep", rep=org.rep, period=fy, amount=Decimal(2_530_000))
    quota_save(user=org.ops, level="rep", rep=org.rep2, period=fy, amount=Decimal(2_300_000))
    client.force_login(org.rep)
    page = " ".join(client.get("/quotas/?year=2026").content.decode().split())
    assert "2,530,000 USD" in page  # their own quota
    assert "No team quota" not in page
    assert "reps' quotas add up to" not in page  # a sum of only their own would mislead
    assert "The team's quota is for its manager and sales operations to see." in page


def test_an_empty_year_tells_an_executive_none_is_set_not_that_they_cannot_see_it(client, org):
    client.force_login(org.executive)
    page = " ".join(client.get("/quotas/?year=2031").content.decode().split())
    assert "No quota has been set for FY 2031" in page
    assert "you can see" not in page


def test_in_the_years_last_month_the_board_opens_on_next_year_as_the_team_board_does(
    client, org, monkeypatch
):
    """On 5 December the manager plans next year: the team board shows FY 2027's quotas,
    and the quota page it links to opens on FY 2027 too (FY 2026 one click away)."""
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 12, 5))
    quota_save(user=org.ops, level="rep", rep=org.rep, period=Period(2027), amount=Decimal(7))
    client.force_login(org.manager)
    page = " ".join(client.get("/quotas/").content.decode().split())
    assert "<h1>Quotas · FY 2027</h1>" in page
    assert "?year=2026" in page
    page = " ".join(client.get("/quotas/?year=soon").content.decode().split())
    assert "“soon” is not a fiscal year; showing FY 2027." in page
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 30))
    assert "<h1>Quotas · FY 2026</h1>" in " ".join(client.get("/quotas/").content.decode().split())
