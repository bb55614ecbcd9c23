"""The territory plan pages: who sees and changes which plan, each step's form saving
through the services (and the trail saying so), a stale save keeping what was typed, and
a locked step saying why and refusing a forged post."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keyplan.people.choices import Role
from keyplan.salesplan.models import (
    StrategyResource,
    TerritoryActivity,
    TerritoryGoal,
    TerritoryObjective,
    TerritoryPlan,
    TerritoryPlanChange,
    TerritoryStrategy,
)
from keyplan.salesplan.periods import Period
from keyplan.salesplan.services import quota_save
from keyplan.salesplan.territory import services
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db

FY = 2027


def text(response) -> str:
    """The page as a person reads it: tags out, whitespace folded."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def section(response, anchor: str) -> str:
    """The text of one section of the page (``<section id=anchor>``)."""
    body = response.content.decode()
    start = body.index(f'id="{anchor}"')
    return text_of(body[start : body.index("</section>", start)])


def text_of(body: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def html(response) -> str:
    return " ".join(response.content.decode().split())


def _tier(account, tier):
    from keyplan.territory.models import AccountTier

    AccountTier.objects.create(account=account, tier=tier, score=50, accepted_at=timezone.now())


@pytest.fixture
def book(org):
    """The org with names a person reads, the rep's accounts tiered, and a quota."""
    for user, first, last in (
        (org.rep, "Rita", "Reyes"),
        (org.rep2, "Ravi", "Rao"),
        (org.manager, "Max", "Moreno"),
        (org.executive, "Eve", "Ekman"),
        (org.other, "Otto", "Olsen"),
    ):
        user.first_name, user.last_name = first, last
        user.save()
    _tier(org.mine, "A")
    org.acme = AccountFactory(name="Acme Foods", owner=org.rep)
    _tier(org.acme, "B")
    org.small = AccountFactory(name="Small Shop", owner=org.rep)
    _tier(org.small, "C")
    quota_save(user=org.ops, level="rep", rep=org.rep, period=Period(FY), amount=Decimal(1_000_000))
    return org


def _plan(org, *, rep=None, facts=True):
    rep = rep or org.rep
    plan = services.territory_plan_create(user=rep, rep=rep, fiscal_year=FY)
    if facts:
        plan = services.facts_review(user=rep, plan=plan, note="A accounts carry it")
    return plan


def _strategy(org, plan, title="Partner webinars"):
    return services.strategy_save(
        user=org.rep,
        plan=plan,
        data={
            "title": title,
            "first_month": datetime.date(FY, 2, 1),
            "last_month": datetime.date(FY, 6, 1),
            "leverages": ["partners"],
        },
    )


# -- who sees what ------------------------------------------------------------------------


def test_a_rep_sees_their_own_plan_and_not_anothers(client, book):
    mine = _plan(book)
    theirs = _plan(book, rep=book.other)
    client.force_login(book.rep)
    assert client.get(f"/territory-plans/{mine.pk}/").status_code == 200
    assert client.get(f"/territory-plans/{theirs.pk}/").status_code == 404
    listing = text(client.get(f"/territory-plans/?year={FY}"))
    assert "Rita Reyes" in listing and "Otto Olsen" not in listing and "Ravi Rao" not in listing


def test_the_list_shows_each_reps_quota_step_and_last_change(client, book):
    plan = _plan(book)
    _strategy(book, plan)
    client.force_login(book.manager)
    page = text(client.get(f"/territory-plans/?year={FY}"))
    # Rita's row: her quota, the first step not done (her strategy has no activity yet),
    # the status, who changed it last (by name).
    assert "Rita Reyes 1,000,000 USD Step 3 of 5: Activities Draft" in page
    assert "· Rita Reyes" in page
    # Ravi has no plan: his manager may start one for him.
    assert "Ravi Rao — Start a plan for Ravi Rao" in page
    assert "Otto Olsen" not in page  # not Max's


def test_the_list_makes_no_query_per_rep(client, book):
    _plan(book)
    client.force_login(book.ops)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/territory-plans/?year={FY}").status_code == 200
    for n in range(4):
        rep = UserFactory(username=f"more{n}", role=Role.REP)
        services.territory_plan_create(user=rep, rep=rep, fiscal_year=FY)
    with CaptureQueriesContext(connection) as many:
        page = text(client.get(f"/territory-plans/?year={FY}"))
    assert page.count("Step 1 of 5: Facts") == 4
    assert len(many) == len(few)


def test_a_rep_starts_their_plan_from_the_list(client, book):
    client.force_login(book.rep)
    listing = text(client.get(f"/territory-plans/?year={FY}"))
    assert "Start my territory plan" in listing
    answer = client.post("/territory-plans/start/", {"year": FY, "rep": book.rep.pk}, follow=True)
    plan = TerritoryPlan.objects.get(rep=book.rep, fiscal_year=FY)
    assert answer.redirect_chain[-1][0] == f"/territory-plans/{plan.pk}/#facts"
    assert "Territory plan started for Rita Reyes · FY 2027" in text(answer)
    # A second start is refused in words, nothing more made.
    again = client.post("/territory-plans/start/", {"year": FY, "rep": book.rep.pk}, follow=True)
    assert "Rita Reyes already has a territory plan for FY 2027" in text(again)
    assert TerritoryPlan.objects.filter(rep=book.rep).count() == 1


def test_a_manager_changes_their_reps_plan(client, book):
    plan = _plan(book, facts=False)
    client.force_login(book.manager)
    # The steps speak of the rep's territory, not the reader's.
    before = text(client.get(f"/territory-plans/{plan.pk}/"))
    assert "Read the facts of the territory and mark them read." in before
    assert "your territory" not in before
    answer = client.post(
        f"/territory-plans/{plan.pk}/facts/",
        {"version": plan.version, "note": "Two A accounts hold half the number"},
        follow=True,
    )
    plan.refresh_from_db()
    assert plan.facts_reviewed_at is not None
    assert plan.facts_note == "Two A accounts hold half the number"
    assert "Max Moreno read the facts" in text(answer)


def test_an_executive_reads_the_plan_and_changes_nothing(client, book):
    plan = _plan(book)
    strategy = _strategy(book, plan)
    client.force_login(book.executive)
    page = client.get(f"/territory-plans/{plan.pk}/")
    assert page.status_code == 200
    body = html(page)
    assert "Partner webinars" in body
    assert "you can read it" in text(page)
    assert 'method="post" action="/territory-plans/' not in body  # no form at all
    forged = client.post(
        f"/territory-plans/{plan.pk}/strategy/{strategy.pk}/",
        {
            "version": strategy.version,
            "title": "Taken over",
            "first_month": "2027-02",
            "last_month": "2027-06",
        },
    )
    assert forged.status_code == 403
    strategy.refresh_from_db()
    assert strategy.title == "Partner webinars"


# -- building the plan, step by step --------------------------------------------------------


def test_each_step_saves_from_its_form_and_the_trail_says_so(client, book):
    plan = _plan(book, facts=False)
    client.force_login(book.rep)
    url = f"/territory-plans/{plan.pk}"
    client.post(f"{url}/facts/", {"version": plan.version, "note": "A accounts carry it"})
    answer = client.post(
        f"{url}/strategy/",
        {
            "title": "Partner webinars",
            "description": "Two webinars a quarter with our channel partners",
            "leverages": ["marketing", "partners"],
            "target_tiers": ["A", "B"],
            "target_account_ids": [book.acme.pk],
            "first_month": "2027-02",
            "last_month": "2027-06",
        },
    )
    assert answer.status_code == 302 and answer.url.endswith("#strategies")
    strategy = TerritoryStrategy.objects.get(plan=plan)
    assert (strategy.first_month, strategy.last_month) == (
        datetime.date(2027, 2, 1),
        datetime.date(2027, 6, 1),
    )
    assert list(strategy.target_accounts.all()) == [book.acme]
    client.post(
        f"{url}/resource/",
        {
            "strategy_id": strategy.pk,
            "person": book.rep2.pk,
            "hours_per_month": "12.5",
            "role": "runs the webinars",
        },
    )
    assert StrategyResource.objects.get(strategy=strategy).hours_per_month == Decimal("12.5")
    client.post(
        f"{url}/activity/",
        {
            "strategy": strategy.pk,
            "title": "Book the first webinar",
            "owner": book.rep.pk,
            "due_date": "2027-02-15",
            "effort_hours": "6",
            "status": "planned",
        },
    )
    assert TerritoryActivity.objects.get(plan=plan).owner == book.rep
    for tier, target in (("A", "600,000"), ("B", "400,000"), ("C", "200,000")):
        client.post(
            f"{url}/objective/",
            {
                "kind": "revenue_tier",
                "dimension": tier,
                "target": target,
                "cadence": "period",
                "strategies": [strategy.pk],
            },
        )
    assert sorted(TerritoryObjective.objects.values_list("dimension", "target")) == [
        ("A", Decimal(600_000)),
        ("B", Decimal(400_000)),
        ("C", Decimal(200_000)),
    ]
    client.post(f"{url}/goal/", {"text": "Become the partner of record in the north"})
    assert TerritoryGoal.objects.get(plan=plan).text == "Become the partner of record in the north"

    page = client.get(f"{url}/")
    words = text(page)
    # Choice labels, not codes; amounts in words; people by name.
    assert "Marketing campaigns, Partners" in words and "marketing, partners" not in words
    assert "Feb 2027 – Jun 2027" in words
    assert "Ravi Rao 12.5 h runs the webinars" in words
    assert "Book the first webinar Rita Reyes 2027-02-15 6 h Planned" in words
    assert "600,000 USD" in words and "Together 1,200,000 USD." in words
    objectives = section(page, "objectives")
    assert "Revenue by tier Objective Target Strategies Revenue from A accounts 600,000 USD" in (
        objectives
    )
    assert all(f"step-{n}" in html(page) for n in range(1, 6))
    assert words.count("✓ done") == 5
    # The trail, newest first, by name.
    feed = section(page, "feed")
    assert feed.index("added goal") < feed.index("added strategy “Partner webinars”")
    assert "Rita Reyes read the facts" in feed
    assert TerritoryPlanChange.objects.filter(plan=plan).count() == 9  # start, facts, 7 parts

    plan.refresh_from_db()
    answer = client.post(f"{url}/status/activate/", {"version": plan.version}, follow=True)
    plan.refresh_from_db()
    assert plan.status == "active"
    assert "The plan is active" in text(answer)
    assert plan.versions.count() == 1


def test_a_bad_value_is_said_beside_its_field_and_the_typed_text_stays(client, book):
    plan = _plan(book)
    client.force_login(book.rep)
    answer = client.post(
        f"/territory-plans/{plan.pk}/strategy/",
        {
            "title": "Executive breakfasts",
            "description": "Our CEO hosts the A accounts",
            "first_month": "2027-06",
            "last_month": "2027-02",
        },
    )
    assert answer.status_code == 400
    body = html(answer)
    assert "The last month (February 2027) is before the first (June 2027)." in text(answer)
    assert 'id="id_strategy-new_last_month_errors"' in body
    assert 'value="Executive breakfasts"' in body and "Our CEO hosts the A accounts" in body
    assert not TerritoryStrategy.objects.exists()


def test_a_stale_save_is_refused_and_keeps_what_was_typed(client, book):
    plan = _plan(book)
    strategy = _strategy(book, plan)
    loaded = strategy.version
    # The manager saves the strategy first.
    services.strategy_save(
        user=book.manager,
        plan=plan,
        strategy=strategy,
        version=loaded,
        data={"title": "Partner webinars, twice a quarter"},
    )
    client.force_login(book.rep)
    answer = client.post(
        f"/territory-plans/{plan.pk}/strategy/{strategy.pk}/",
        {
            "version": loaded,
            "title": "Partner roadshows",
            "description": "Three cities",
            "first_month": "2027-02",
            "last_month": "2027-06",
        },
    )
    assert answer.status_code == 409
    words = text(answer)
    assert "Max Moreno saved this strategy at" in words
    assert "Your changes were not saved" in words
    body = html(answer)
    assert 'value="Partner roadshows"' in body and "Three cities" in body
    strategy.refresh_from_db()
    assert strategy.title == "Partner webinars, twice a quarter"


def test_a_locked_step_says_why_and_refuses_a_forged_post(client, book):
    plan = _plan(book, facts=False)
    client.force_login(book.rep)
    page = client.get(f"/territory-plans/{plan.pk}/")
    words = text(page)
    assert "Locked: Strategies open once the facts have been read." in words
    assert f'action="/territory-plans/{plan.pk}/strategy/"' not in html(page)
    forged = client.post(
        f"/territory-plans/{plan.pk}/strategy/",
        {"title": "Skipping ahead", "first_month": "2027-02", "last_month": "2027-06"},
    )
    assert forged.status_code == 400
    assert "Strategies open once the facts have been read." in text(forged)
    assert not TerritoryStrategy.objects.exists()


def test_versions_compare_says_what_changed(client, book):
    plan = _plan(book)
    _strategy(book, plan)
    client.force_login(book.rep)
    client.post(f"/territory-plans/{plan.pk}/versions/take/", {"note": "before the review"})
    _strategy(book, plan, title="Executive breakfasts")
    page = text(client.get(f"/territory-plans/{plan.pk}/versions/?old=1&new=now"))
    assert "From v1 to now" in page
    assert "Added “Executive breakfasts”" in page
    assert "Partner webinars" not in page.split("From v1 to now")[1]


def test_the_facts_step_shows_the_accounts_ranked_with_their_revenue(client, book):
    from tests.factories import SaleLineFactory

    SaleLineFactory(account=book.mine, date=datetime.date(2026, 5, 1), amount=500_000)
    SaleLineFactory(account=book.small, date=datetime.date(2026, 3, 1), amount=20_000)
    plan = _plan(book, facts=False)
    client.force_login(book.rep)
    facts = section(client.get(f"/territory-plans/{plan.pk}/"), "facts")
    # Tier A first (worked proactively, and flagged without an account plan), then B, C.
    assert (
        facts.index("Tier A · proactive · 1 account")
        < facts.index("Tier B · reactive · 1 account")
        < facts.index("Tier C · reactive · 1 account")
    )
    assert "Mine Group 500,000 USD" in facts and "Small Shop 20,000 USD" in facts
    assert "needs a plan" in facts
    # No forecast nor white space computed in this test: no ratio, no advice on a zero.
    assert (
        "The opportunity is not computed yet, so it cannot be set against the quota of 1.0M"
        in facts
    )
    assert "I have read the facts" in facts


def test_the_plan_page_makes_no_query_per_strategy_or_activity(client, book):
    plan = _plan(book)

    def grow(n):
        strategy = _strategy(book, plan, title=f"Strategy {n}")
        services.resource_save(
            user=book.rep, strategy=strategy, data={"person": book.rep2.pk, "hours_per_month": 5}
        )
        for day in (3, 17):
            services.activity_save(
                user=book.rep,
                plan=plan,
                data={
                    "strategy": strategy.pk,
                    "title": f"Call {n}/{day}",
                    "owner": book.rep.pk,
                    "due_date": datetime.date(FY, 3, day),
                    "effort_hours": 2,
                },
            )
        services.objective_save(
            user=book.rep,
            plan=plan,
            data={
                "kind": "revenue_tier",
                "dimension": "A",
                "target": 100_000,
                "strategies": [strategy.pk],
            },
        )

    grow(1)
    client.force_login(book.rep)
    # Once first: the territory's closed deals are cached (per day and sales version) on
    # the first read, so both counts below are of a warm page.
    client.get(f"/territory-plans/{plan.pk}/")
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/territory-plans/{plan.pk}/").status_code == 200
    for n in (2, 3, 4):
        grow(n)
    with CaptureQueriesContext(connection) as four:
        page = text(client.get(f"/territory-plans/{plan.pk}/"))
    assert "Call 4/17 Rita Reyes 2027-03-17 2 h" in page and "Strategy 4" in page
    assert len(four) == len(one), [q["sql"][:120] for q in four.captured_queries]


def test_months_over_capacity_are_marked_with_who(client, book):
    book.rep2.weekly_hours = Decimal(14)  # 14 h a week: 60 h in a 30-day month (April)
    book.rep2.save()
    plan = _plan(book)
    strategy = _strategy(book, plan)
    services.resource_save(
        user=book.rep, strategy=strategy, data={"person": book.rep2.pk, "hours_per_month": 70}
    )
    client.force_login(book.rep)
    page = client.get(f"/territory-plans/{plan.pk}/")
    strategies = section(page, "strategies")
    assert "Over capacity: Ravi Rao — in the months marked." in strategies
    # April 2027: 70 hours asked of 60 available.
    assert '<td class="num over" title="70.0 of 60.0 hours">70 / 60 h (over)</td>' in html(page)


def test_edit_opens_the_form_in_place_with_the_saved_values(client, book):
    plan = _plan(book)
    strategy = _strategy(book, plan)
    client.force_login(book.rep)
    answer = client.get(f"/territory-plans/{plan.pk}/strategy/{strategy.pk}/")
    assert (
        answer.url
        == f"/territory-plans/{plan.pk}/?edit=strategy-{strategy.pk}#strategy-{strategy.pk}"
    )
    body = html(client.get(answer.url))
    slot = f"strategy-{strategy.pk}"
    assert f'data-testid="form-{slot}"' in body
    assert f'name="first_month" value="2027-02" required id="id_{slot}_first_month"' in body
    assert f'value="partners" id="id_{slot}_leverages_1" checked' in body
    assert f'name="version" value="{strategy.version}"' in body


def test_an_open_step_says_in_its_section_what_it_still_needs_and_opens_its_form(client, book):
    """A rep whose plan stopped at the objectives (one strategy without an objective)
    reads in the objectives section itself what is missing, with the form to add one
    already open — not only in the step strip at the top of a long page."""
    plan = _plan(book)
    first, second = _strategy(book, plan, "Partner webinars"), _strategy(book, plan, "Cross-sell")
    for s in (first, second):
        services.resource_save(
            user=book.rep, strategy=s, data={"person": book.rep.pk, "hours_per_month": 4}
        )
        services.activity_save(
            user=book.rep,
            plan=plan,
            data={
                "strategy": s.pk,
                "title": f"Start {s.title}",
                "owner": book.rep.pk,
                "due_date": datetime.date(FY, 3, 1),
                "effort_hours": 2,
            },
        )
    services.objective_save(
        user=book.rep,
        plan=plan,
        data={
            "kind": "revenue_tier",
            "dimension": "A",
            "target": 500_000,
            "strategies": [first.pk],
        },
    )
    client.force_login(book.rep)
    page = client.get(f"/territory-plans/{plan.pk}/")
    objectives = section(page, "objectives")
    assert "Still to do: Every strategy needs an objective: “Cross-sell” has none." in objectives
    assert '<details id="objective-new" open>' in html(page)


def test_a_year_that_is_not_one_names_the_year_shown_instead(client, book):
    """In December the list opens on next year: a mistyped year says which year it shows
    (FY 2027), not "the current one" (which would be FY 2026)."""
    from keyplan.salesplan.periods import planning_year

    client.force_login(book.rep)
    page = text(client.get("/territory-plans/?year=abc"))
    shown = planning_year().name
    assert f"“abc” is not a fiscal year; showing {shown}." in page
    assert f"Territory plans · {shown}" in page


def test_a_save_that_finishes_a_step_says_what_comes_next(client, book):
    """The objective that gives the last strategy one finishes the objectives step: the
    message says so and names the next step and what it needs, as reading the facts
    does ("Next: …")."""
    plan = _plan(book)
    strategy = _strategy(book, plan)
    services.resource_save(
        user=book.rep, strategy=strategy, data={"person": book.rep.pk, "hours_per_month": 4}
    )
    services.activity_save(
        user=book.rep,
        plan=plan,
        data={
            "strategy": strategy.pk,
            "title": "Book the webinar",
            "owner": book.rep.pk,
            "due_date": datetime.date(FY, 3, 1),
            "effort_hours": 2,
        },
    )
    client.force_login(book.rep)
    answer = client.post(
        f"/territory-plans/{plan.pk}/objective/",
        {
            "kind": "revenue_tier",
            "dimension": "A",
            "target": "500,000",
            "strategies": [strategy.pk],
        },
        follow=True,
    )
    assert (
        "Objective added. Objectives done. Next, goals: add at least one qualitative goal."
        in text(answer)
    )
    answer = client.post(
        f"/territory-plans/{plan.pk}/goal/", {"text": "Partner of record"}, follow=True
    )
    assert "Goal added. Goals done: every step is, the plan can be activated." in text(answer)
    # A save that finishes nothing says only what it saved.
    answer = client.post(f"/territory-plans/{plan.pk}/goal/", {"text": "Second goal"}, follow=True)
    assert "Goal added." in text(answer) and "Goals done" not in text(answer)
