"""A generated territory looks like a real one: a sales organisation with the demo logins,
customer hierarchies, skewed revenue over 36 seasonal months, pipeline in every stage,
contacts in reporting lines, executive touchpoints."""

import datetime
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F, Sum

from keyplan.accounts.models import (
    Account,
    AccountLineage,
    AccountTeamMember,
    Contact,
    Interaction,
)
from keyplan.people.models import Team, User
from keyplan.sales.choices import STAGE_PROBABILITY, STAGE_STATUS, Stage
from keyplan.sales.models import Opportunity, SaleLine, SalesMonth
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _territory_once(django_db_setup, django_db_blocker):
    """One 60-account territory for the whole module (its tests only read it), in a
    transaction rolled back at the end: generating it again for each test cost ~5 s each
    on SQLite and ~15 s on PostgreSQL."""
    with django_db_blocker.unblock(), transaction.atomic():
        run_generate("--accounts", 60, "--seed", 11)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def generated(_territory_once, db):
    """The module's territory (see ``_territory_once``), inside each test's own savepoint."""


def test_the_sales_organisation_signs_in_with_the_demo_password(generated):
    roles = dict(User.objects.values_list("username", "role"))
    assert roles["admin"] == "admin" and roles["ops"] == "sales_ops"
    assert {roles["exec"], roles["exec2"]} == {"executive"}
    assert {roles["manager"], roles["manager2"]} == {"manager"}
    assert {roles[f"rep{n}"] for n in ("", 2, 3, 4, 5, 6)} == {"rep"}
    assert len(roles) == 12
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.exclude(username="admin").filter(is_staff=True).exists()
    for username in roles:
        assert authenticate(username=username, password="demo") is not None, username
    for rep in User.objects.filter(role="rep").select_related("manager", "team"):
        assert rep.manager.role == "manager" and rep.team.manager == rep.manager
    assert Team.objects.filter(manager__username="manager").exists()


def test_customers_come_as_standalone_accounts_and_groups_with_levels(generated):
    assert Account.objects.count() == 60
    top = Account.objects.filter(parent__isnull=True)
    groups = top.filter(children__isnull=False).distinct()
    assert 0 < groups.count() < top.count() / 2  # most accounts stand alone
    assert Account.objects.filter(depth__gte=2).exists()
    levels = dict(enumerate(("legal_entity", "business_unit", "division", "budget_centre")))
    for depth, kind in Account.objects.values_list("depth", "kind"):
        assert kind == levels[depth]
    children = Account.objects.filter(parent__isnull=False)
    same_owner = children.filter(owner=F("parent__owner")).count()
    assert same_owner >= children.count() * 0.6  # children usually stay with the parent's rep
    assert not Account.objects.exclude(owner__role="rep").exists()
    assert AccountLineage.objects.filter(depth=0).count() == 60
    assert not Account.objects.exclude(external_id__regex=r"^ACC-\d{6}$").exists()


def test_bigger_companies_are_bigger_customers(generated):
    spend = dict(
        SalesMonth.objects.filter(account__in=Account.objects.filter(parent__isnull=True))
        .values("account")
        .annotate(total=Sum("amount"))
        .values_list("account", "total")
    )
    ranked = sorted(Account.objects.filter(pk__in=spend), key=lambda a: spend[a.pk], reverse=True)
    big, small = ranked[: len(ranked) // 2], ranked[len(ranked) // 2 :]
    assert sum(a.employees for a in big) > 2 * sum(a.employees for a in small)
    assert sum(a.annual_revenue for a in big) > 2 * sum(a.annual_revenue for a in small)


def test_36_months_of_sales_end_at_the_given_month_with_a_q4_peak(generated):
    months = sorted(set(SalesMonth.objects.values_list("month", flat=True)))
    assert len(months) == 36
    assert (months[0], months[-1]) == (datetime.date(2023, 11, 1), datetime.date(2026, 10, 1))
    by_quarter = Counter()
    for month, amount in SaleLine.objects.values_list("date__month").annotate(a=Sum("amount")):
        by_quarter[(month - 1) // 3 + 1] += amount
    assert by_quarter[4] == max(by_quarter.values())


def test_a_sale_is_quantity_times_list_price_less_a_discount(generated):
    lines = SaleLine.objects.select_related("product")
    assert lines.count() > 60 * 20
    for line in lines:
        list_value = line.quantity * line.product.list_price
        assert list_value * 60 / 100 <= line.amount <= list_value, line


def test_opportunities_in_every_stage_with_consistent_status_and_dates(generated):
    assert set(Opportunity.objects.values_list("stage", flat=True)) == set(Stage)
    for stage, status in STAGE_STATUS.items():
        assert not Opportunity.objects.filter(stage=stage).exclude(status=status).exists()
        # A plan's idea that became an opportunity carries the idea's confidence instead.
        assert (
            not Opportunity.objects.filter(stage=stage, ideas__isnull=True)
            .exclude(probability=STAGE_PROBABILITY[stage])
            .exists()
        )
    from_ideas = Opportunity.objects.filter(ideas__isnull=False).values_list(
        "probability", "ideas__confidence"
    )
    assert from_ideas and all(p == confidence for p, confidence in from_ideas)
    assert not Opportunity.objects.filter(close_date__lt=F("created_date")).exists()
    end = datetime.date(2026, 10, 31)
    assert not Opportunity.objects.filter(status="open", close_date__lte=end).exists()
    assert not Opportunity.objects.exclude(status="open").filter(close_date__gt=end).exists()
    assert not Opportunity.objects.exclude(owner=F("account__owner")).exists()


def test_contacts_report_up_their_function_inside_their_account(generated):
    contacts = Contact.objects.select_related("reports_to")
    reporting = [c for c in contacts if c.reports_to]
    assert len(reporting) > len(contacts) / 2
    rank = {"c_level": 0, "vp": 1, "director": 2, "manager": 3, "individual": 4}
    for c in reporting:
        boss = c.reports_to
        assert boss.account_id == c.account_id
        if boss.function == "Executive":  # the CEO, whom the C-level report to
            assert boss.title == "Chief Executive Officer" and boss.reports_to is None
        else:  # up the person's own function
            assert boss.function == c.function and rank[boss.seniority] < rank[c.seniority]
    cio = contacts.filter(title="Chief Information Officer").first()
    assert cio is None or cio.reports_to.title == "Chief Executive Officer"
    assert Contact.objects.filter(title="IT Director", reports_to__function="IT").exists()


def test_we_know_few_people_well_and_some_have_left(generated):
    strengths = Counter(Contact.objects.values_list("relationship_strength", flat=True))
    total = sum(strengths.values())
    assert strengths["strong"] < total * 0.2 < strengths["none"]
    known = Contact.objects.exclude(relationship_strength="none")
    assert not known.filter(relationship_owner__isnull=True).exists()
    assert Contact.objects.filter(is_active=False).exists()
    assert Contact.objects.filter(is_active=True).count() > total * 0.85
    roles = set(Contact.objects.values_list("decision_role", flat=True))
    assert {"decision_maker", "influencer", "champion", "blocker"} <= roles


def test_interactions_meet_the_accounts_people_some_leader_to_leader(generated):
    assert Interaction.objects.count() > 60
    for interaction in Interaction.objects.select_related("meeting_request").prefetch_related(
        "contacts", "participants"
    ):
        assert {c.account_id for c in interaction.contacts.all()} == {interaction.account_id}
        people = {p.pk for p in interaction.participants.all()}
        request = getattr(interaction, "meeting_request", None)
        if request is None:
            assert len(people) == 1
        else:
            # The demo's accepted executive meeting request (keyplan.plans.meetings): the
            # executive asked, who asked and the plan's owner all attend.
            assert request.executive_id in people
            assert people <= {request.executive_id, request.asked_by_id, request.plan.owner_id}
    executive = Interaction.objects.filter(is_executive=True)
    assert executive.exists()
    assert not executive.exclude(participants__role="executive").exists()
    assert not executive.exclude(contacts__seniority="c_level").exists()
    assert set(Interaction.objects.values_list("kind", flat=True)) == {
        "meeting",
        "call",
        "email",
        "event",
    }


def test_account_teams_name_the_owner_and_sponsor_the_big_accounts(generated):
    managers = AccountTeamMember.objects.filter(role="account_manager")
    assert managers.count() == 60
    assert not managers.exclude(user=F("account__owner")).exists()
    sponsors = AccountTeamMember.objects.filter(role="executive_sponsor")
    assert sponsors.exists() and not sponsors.exclude(user__role="executive").exists()
    biggest = (
        SalesMonth.objects.filter(account__parent__isnull=True)
        .values("account")
        .annotate(total=Sum("amount"))
        .order_by("-total")
        .first()["account"]
    )
    assert sponsors.filter(account_id=biggest).exists()
