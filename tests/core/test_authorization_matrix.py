"""The authorization matrix: every URL pattern of the web app and every operation of the
API, asked by each role, answers what the tables below say — written out, so that a
change in who may do what shows up in review.

A cell is the status code a role gets (anonymous, rep, manager, executive, sales ops,
admin); never 500. Anonymous visitors are sent to the sign-in page (302) or, in the API,
get 401. Path ids name records in the demo rep's reach (the rep's first example plan, its
account and elements); a further column asks as the rep for a record out of the rep's
reach, which answers 404 exactly like one that does not exist.

Web pages are asked with GET (POST where the page only takes POST); the API's writes are
sent with an empty body and, for changes and deletes, the version read (If-Match), each
inside a savepoint rolled back, so every cell sees the same territory. A new URL or
operation fails the test until its row is added here.
"""

import copy
from http.cookies import SimpleCookie
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from keyplan.accounts.deletion import contact_delete
from keyplan.accounts.models import Account, Contact
from keyplan.imports.models import ImportRun
from keyplan.people.models import User
from keyplan.plans.models import AccountPlan
from keyplan.plans.models.ideas import InvestmentCase

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "rep", "manager", "exec", "ops", "admin"]
PARTS = [
    "goals",
    "values",
    "vendors",
    "ideas",
    "objectives",
    "qualitative_goals",
    "actions",
    "milestones",
    "help_requests",
    "executive_pairings",
]


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def web_patterns() -> dict[str, str]:
    """Every URL pattern of the web app (the API's are covered by its schema), by name."""
    found = {}
    for route, entry in _walk(get_resolver().url_patterns):
        if route.startswith(("api/", "admin/")) or entry.name is None:
            continue
        found[entry.name] = route
    return found


class Territory:
    """The demo territory's records that the URLs name: in the rep's reach, and out of it."""

    def __init__(self):
        call_command("generate", "--accounts", "60", "--seed", "11", stdout=StringIO())
        self.users = {u.username: u for u in User.objects.filter(username__in=ROLES[1:])}
        rep = self.users["rep"]
        self.plan = AccountPlan.objects.filter(owner=rep).order_by("pk").first()
        self.account = self.plan.account
        visible = Account.objects.visible_to(rep)
        self.foreign_account = Account.objects.exclude(pk__in=visible).order_by("pk").first()
        self.contact = Contact.objects.filter(account=self.account).order_by("pk").first()
        self.foreign_contact = (
            Contact.objects.filter(account=self.foreign_account).order_by("pk").first()
        )
        self.opportunity = self.account.opportunities.order_by("pk").first()
        self.foreign_opportunity = self.foreign_account.opportunities.order_by("pk").first()
        self.foreign_plan = AccountPlan.objects.create(
            account=self.foreign_account,
            owner=self.foreign_account.owner,
            period_start=self.plan.period_start,
            period_end=self.plan.period_end,
        )
        # The foreign plan gets a copy of each of the rep's plan's parts, so that each
        # part's API is also asked for one out of the rep's reach.
        for related in PARTS:
            part = self.element(related)
            if part is not None:
                part.pk = None
                part.plan = self.foreign_plan
                part.save()
        self.help_request = self.element("help_requests")
        # The demo manager's open request for an executive meeting on one of the rep's
        # plans, and one on the foreign plan, out of the rep's reach.
        from keyplan.plans.models import ExecutiveMeetingRequest

        self.meeting = ExecutiveMeetingRequest.objects.filter(plan__owner=rep).order_by("pk")[0]
        self.foreign_meeting = ExecutiveMeetingRequest.objects.create(
            plan=self.foreign_plan,
            executive=self.users["exec"],
            asked_by=self.foreign_plan.owner,
            purpose="Meet their CEO",
            wished_from=self.plan.period_start,
            wished_until=self.plan.period_end,
        )
        # The demo's first comment on the rep's plan (the manager's, on an idea).
        self.comment_id = self.plan.comments.order_by("pk").first().pk
        self.investment = InvestmentCase.objects.filter(idea__plan=self.plan).order_by("pk").first()
        self.import_run = ImportRun.objects.create(
            kind="accounts", file_name="accounts.csv", created_by=rep, status="done"
        )
        # The demo quotas: the rep's own for the year (its distribution page) and another
        # team's rep's, out of the rep's reach; one of the rep's account goals.
        from keyplan.salesplan.models import AccountGoal, Quota

        self.quota = Quota.objects.filter(rep=rep, quarter=0).order_by("pk").first()
        self.foreign_quota = (
            Quota.objects.filter(level="rep", quarter=0)
            .exclude(rep__in=[rep, self.users["manager"]])
            .exclude(rep__manager=self.users["manager"])
            .exclude(rep__team__manager=self.users["manager"])
            .order_by("pk")
            .first()
        )
        self.goal = AccountGoal.objects.filter(rep=rep).order_by("pk").first()
        # The rep's territory plan (the demo writes one per rep) and another rep's, out of
        # the rep's reach.
        from keyplan.salesplan.models import TerritoryPlan

        self.territory_plan = TerritoryPlan.objects.get(rep=rep)
        self.foreign_territory_plan = (
            TerritoryPlan.objects.exclude(rep=rep).filter(status="active").order_by("pk").first()
        )
        # A review sitting of the rep's (scheduled by their manager, next quarter's, so it
        # is open whatever the date) and one of another team's rep, out of the rep's reach.
        self.sitting, self.foreign_sitting = self._sittings(rep)
        # Something in the recycle bin, deleted by sales ops, for its restore page.
        leaving = Contact.objects.create(account=self.foreign_account, last_name="Leaving")
        self.deleted = contact_delete(contact=leaving, user=self.users["ops"])
        # An API token of the rep's and one of the manager's: each person sees and
        # revokes only their own.
        from keyplan.people.tokens import token_issue

        self.token = token_issue(user=rep, name="Rep's script")[0]
        self.foreign_token = token_issue(user=self.users["manager"])[0]

    def element(self, related: str):
        return getattr(self.plan, related).order_by("pk").first()

    def _sittings(self, rep):
        import datetime

        from django.utils import timezone

        from keyplan.reviews import services as review_services
        from keyplan.reviews.models import ReviewSitting
        from keyplan.reviews.selectors import current_quarter

        this = current_quarter()
        upcoming = type(this)(this.fiscal_year + (this.quarter == 4), this.quarter % 4 + 1)
        monday = upcoming.start + datetime.timedelta(days=(7 - upcoming.start.weekday()) % 7)
        mine = review_services.sitting_schedule(
            user=self.users["manager"],
            rep=rep,
            period=upcoming,
            starts_at=timezone.make_aware(datetime.datetime.combine(monday, datetime.time(10))),
        )
        owner = self.foreign_plan.owner
        foreign = ReviewSitting.objects.create(
            rep=owner,
            manager=owner,
            fiscal_year=upcoming.fiscal_year,
            quarter=upcoming.quarter,
            starts_at=mine.starts_at,
            minutes=30,
        )
        foreign.items.create(plan=self.foreign_plan, order=1)
        return mine, foreign

    def kwargs(self, name: str, route: str, *, foreign: bool = False) -> dict:
        """Values for the route's parameters."""
        plan = self.foreign_plan if foreign else self.plan
        account = self.foreign_account if foreign else self.account
        contact = self.foreign_contact if foreign else self.contact
        values = {}
        tplan = self.foreign_territory_plan if foreign else self.territory_plan
        if "<int:pk>" in route:
            if name.startswith(("territory_part", "territory_plan_", "territory_v")) or name in {
                "territory_plan",
                "territory_facts",
            }:
                values["pk"] = tplan.pk
            elif name.startswith(("plan_",)):
                values["pk"] = plan.pk
            elif name.startswith(("account_", "potential")):
                values["pk"] = account.pk
            elif name.startswith("contact_"):
                values["pk"] = contact.pk
            elif name in ("opportunity_detail", "opportunity_delete"):
                values["pk"] = (self.foreign_opportunity if foreign else self.opportunity).pk
            elif name.startswith("user_"):
                values["pk"] = self.users["rep"].pk
            elif name.startswith("team_"):
                values["pk"] = self.users["rep"].team_id
            elif name.startswith("import"):
                values["pk"] = self.import_run.pk
            elif name == "help_respond":
                values["pk"] = self.help_request.pk
            elif name.startswith("meeting_"):
                values["pk"] = (self.foreign_meeting if foreign else self.meeting).pk
            elif name == "recycle_restore":
                values["pk"] = self.deleted.pk
            elif name.startswith("my_token"):
                values["pk"] = (self.foreign_token if foreign else self.token).pk
            elif name == "quota_goals":
                values["pk"] = (self.foreign_quota if foreign else self.quota).pk
            elif name == "goal_apart":
                values["pk"] = self.goal.pk
            elif name.startswith("review_"):
                values["pk"] = (self.foreign_sitting if foreign else self.sitting).pk
        if "<int:account_pk>" in route:
            values["account_pk"] = account.pk
        if "<str:section>" in route:
            values["section"] = "basics"
        if "<str:fmt>" in route:
            values["fmt"] = "md"
        if "<slug:kind>" in route:
            values["kind"] = "accounts"
        if "<str:kind>" in route:
            values["kind"] = "goal"
        if "<str:action>" in route:
            values["action"] = "archive"
        if "<int:item>" in route and name.startswith("territory_part"):
            values["item"] = tplan.goals.order_by("pk").first().pk
        elif "<int:item>" in route:
            values["item"] = {
                "plan_idea_move": lambda: self.element("ideas").pk,
                "plan_investment_submit": lambda: self.investment.pk,
                "plan_investment_decide": lambda: self.investment.pk,
                "plan_element": lambda: self.element("goals").pk,
                "plan_element_delete": lambda: self.element("goals").pk,
                "plan_map_pairing_delete": lambda: self.element("executive_pairings").pk,
                # The demo's first comment on the rep's plan is the manager's.
                "plan_comment_edit": lambda: self.comment_id,
                "plan_comment_delete": lambda: self.comment_id,
            }[name]()
        if "<int:contact>" in route:
            values["contact"] = contact.pk
        if name == "calendar_feed":
            values["token"] = "not-a-calendar-token"
        # The demo shares the rep's first plan with the customer (keyplan.mutual).
        if "<int:share>" in route:
            values["share"] = self.plan.shares.order_by("pk").first().pk
        if name == "mutual_plan":
            from keyplan.mutual.links import share_token

            values["token"] = share_token(self.plan.shares.order_by("pk").first())
        return values


def _isolated(send):
    """The answer to ``send()``, with whatever it wrote rolled back."""
    savepoint = transaction.savepoint()
    try:
        return send()
    finally:
        transaction.savepoint_rollback(savepoint)


def _web_clients(territory) -> dict[str, tuple[Client, SimpleCookie]]:
    """Per role, a browser signed in once (anonymous: not signed in), with its cookies as
    signing in left them. The session is saved outside the savepoints, so every cell finds
    it as it was just after signing in, whatever an earlier cell's request did to it."""
    clients = {}
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(territory.users[role])
        clients[role] = (client, copy.deepcopy(client.cookies))
    return clients


def _web_status(clients, role, method, url) -> int:
    client, signed_in = clients[role]
    # The cookies as just signed in: none an earlier answer set (a message, a signed-out
    # session) reaches this request.
    client.cookies = copy.deepcopy(signed_in)
    return _isolated(lambda: getattr(client, method.lower())(url).status_code)


def observed_web(territory) -> dict[str, str]:
    """``{"GET name": "302 200 … | 404"}``: each role's status, then the rep's for a
    record out of reach (``-`` where the URL names no record)."""
    from django.urls import reverse

    clients = _web_clients(territory)
    table = {}
    for name, route in sorted(web_patterns().items()):
        url = reverse(name, kwargs=territory.kwargs(name, route))
        method = "GET"
        if _web_status(clients, "admin", "GET", url) == 405:
            method = "POST"
        cells = [str(_web_status(clients, role, method, url)) for role in ROLES]
        foreign = territory.kwargs(name, route, foreign=True)
        other = "-"
        if foreign != territory.kwargs(name, route):
            other = str(_web_status(clients, "rep", method, reverse(name, kwargs=foreign)))
        table[f"{method} {name}"] = " ".join(cells) + " | " + other
    return table


def api_operations() -> list[tuple[str, str]]:
    """Every operation of the API schema: (method, path template)."""
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return sorted((method.upper(), path) for path, ops in paths.items() for method in ops)


def _api_client(territory, role):
    """The role's API client (anonymous: nobody signed in), made once per territory; each
    use starts without cookies, as a new client would."""
    clients = territory.__dict__.setdefault("api_clients", {})
    if role not in clients:
        clients[role] = APIClient()
        if role != "anonymous":
            clients[role].force_authenticate(territory.users[role])
    client = clients[role]
    client.cookies = SimpleCookie()
    return client


def _in_plan(path: str, territory, *, foreign: bool = False) -> str:
    """A territory plan's parts are addressed under their plan: the rep's own plan, or
    (``foreign``) another rep's."""
    plan = territory.foreign_territory_plan if foreign else territory.territory_plan
    return path.replace("{plan_pk}", str(plan.pk))


def _api_ids(territory) -> dict[str, tuple[int, int | None]]:
    """Per collection: a record in the rep's reach (else the admin's first) and one the
    admin sees but the rep does not."""
    rep, admin = _api_client(territory, "rep"), _api_client(territory, "admin")
    found = {}
    for _method, template in api_operations():
        path = _in_plan(template, territory)
        base = path.split("{id}")[0]
        if "{id}" not in path or base in found:
            continue
        seen_by_admin = [r["id"] for r in admin.get(f"{base}?page_size=500").json()["results"]]
        answer = rep.get(f"{base}?page_size=500")
        seen_by_rep = (
            [r["id"] for r in answer.json()["results"]] if answer.status_code == 200 else []
        )
        mine = seen_by_rep[0] if seen_by_rep else (seen_by_admin or [0])[0]
        if base.endswith("/plans/"):
            mine = territory.plan.pk
        theirs = next((i for i in seen_by_admin if i not in seen_by_rep), None)
        found[base] = (mine, theirs)
    return found


def _version_read(territory, method, url) -> dict:
    """For a change or delete, the version the admin reads (If-Match). Read once per
    operation and URL: every cell's writes are rolled back, so each would read the same."""
    versions = territory.__dict__.setdefault("versions_read", {})
    key = (method, url.split("?")[0])
    if key not in versions:
        headers = {}
        read = _api_client(territory, "admin").get(key[1])
        if read.status_code == 200 and read.get("ETag"):
            headers["HTTP_IF_MATCH"] = read["ETag"]
        versions[key] = headers
    return dict(versions[key])


def _api_status(territory, role, method, url) -> int:
    headers = {}
    if method in {"PUT", "PATCH", "DELETE"}:
        headers = _version_read(territory, method, url)
    send = getattr(_api_client(territory, role), method.lower())
    return _isolated(lambda: send(url, {}, format="json", **headers).status_code)


def observed_api(territory) -> dict[str, str]:
    """``{"GET /api/v1/…": "401 200 … | 404"}`` as for the web pages."""
    ids = _api_ids(territory)
    table = {}
    for method, template in api_operations():
        path = _in_plan(template, territory).replace("{comment_id}", str(territory.comment_id))
        base = path.split("{id}")[0]
        mine, theirs = ids.get(base, (None, None))
        url = path.replace("{id}", str(mine))
        url = url.replace("{share_id}", str(territory.plan.shares.order_by("pk").first().pk))
        cells = [str(_api_status(territory, role, method, url)) for role in ROLES]
        other = "-"
        if "{plan_pk}" in template:
            # Another rep's plan: its parts, and the collection itself, are out of reach.
            first = _api_client(territory, "admin").get(
                _in_plan(template.split("{id}")[0], territory, foreign=True) + "?page_size=1"
            )
            listed = first.json()["results"] if first.status_code == 200 else []
            theirs = listed[0]["id"] if listed else None
            foreign = _in_plan(template, territory, foreign=True)
            if "{id}" not in template or theirs is not None:
                other = str(
                    _api_status(territory, "rep", method, foreign.replace("{id}", str(theirs)))
                )
        elif theirs is not None and "{id}" in path:
            other = str(_api_status(territory, "rep", method, path.replace("{id}", str(theirs))))
        table[f"{method} {template}"] = " ".join(cells) + " | " + other
    return table


# Columns: anonymous, rep, manager, exec, ops, admin | the rep asking for a record out of
# reach ("-": the URL names no record, or none is out of the rep's reach). A web POST
# that is refused answers 302 with the reason shown as a message on the next page.
WEB = {
    # Deletes: the confirmation pages (accounts: sales ops and admins only), the recycle
    # bin (each person sees what they deleted; restoring another's answers 404) and the
    # audit log (administrators only).
    "GET account_delete": "302 403 403 403 200 200 | 404",
    "GET contact_delete": "302 200 200 200 200 200 | 404",
    "GET recycle_bin": "302 200 200 200 200 200 | -",
    "POST recycle_restore": "302 404 404 404 302 302 | -",
    "GET audit_log": "302 403 403 403 403 200 | -",
    "GET audit_log_csv": "302 403 403 403 403 200 | -",
    "GET account_create": "302 200 200 200 200 200 | -",
    "GET account_detail": "302 200 200 200 200 200 | 404",
    "GET account_edit": "302 200 200 200 200 200 | 404",
    "GET account_list": "302 200 200 200 200 200 | -",
    "GET audience": "302 200 200 200 200 200 | -",
    "GET capacity": "302 200 200 200 200 200 | -",
    "GET contact_create": "302 200 200 200 200 200 | 404",
    "GET contact_detail": "302 200 200 200 200 200 | 404",
    "GET contact_edit": "302 200 200 200 200 200 | 404",
    "GET contact_list": "302 200 200 200 200 200 | -",
    "GET export": "302 200 200 200 200 200 | -",
    "GET salesforce_export": "302 403 403 403 200 200 | -",
    "GET health": "200 200 200 200 200 200 | -",
    "POST help_respond": "302 404 404 404 404 404 | -",
    # Executive meeting requests: the rep (the plan's owner), their manager, sales ops and
    # admins ask; the executive answers, and everyone who sees the plan reads the request
    # and its briefing. A refused or empty answer is a message on the request's page.
    "GET plan_meeting_ask": "302 200 200 403 200 200 | 404",
    "GET meeting_detail": "302 200 200 200 200 200 | 404",
    "POST meeting_respond": "302 302 302 302 302 302 | 404",
    "GET meeting_briefing": "302 200 200 200 200 200 | 404",
    "GET meeting_briefing_pdf": "302 200 200 200 200 200 | 404",
    "GET home": "302 200 200 200 200 200 | -",
    "GET icp_settings": "302 403 403 403 200 200 | -",
    "GET import_detail": "302 403 403 403 200 200 | -",
    "GET import_list": "302 403 403 403 200 200 | -",
    "GET import_map": "302 403 403 403 302 302 | -",
    "POST import_now": "302 403 403 403 302 302 | -",
    "POST import_again": "302 403 403 403 302 302 | -",
    "GET import_rejects": "302 403 403 403 404 404 | -",
    "GET login": "200 200 200 200 200 200 | -",
    "POST logout": "302 302 302 302 302 302 | -",
    "GET my_work": "302 200 200 200 200 200 | -",
    "GET notifications": "302 200 200 200 200 200 | -",
    # Everyone's own settings (time zone, email, calendar address); the calendar feed is
    # read without signing in, by the secret in its address (a made-up one: 404).
    "GET my_settings": "302 200 200 200 200 200 | -",
    "POST calendar_regenerate": "302 302 302 302 302 302 | -",
    "POST calendar_revoke": "302 302 302 302 302 302 | -",
    "GET calendar_feed": "404 404 404 404 404 404 | -",
    # Everyone's own API tokens: the list, a new one (its key shown in the answer), and
    # the confirmation before revoking one — of the rep's token, only the rep gets it;
    # anyone else's token is 404 whoever asks.
    "GET my_tokens": "302 200 200 200 200 200 | -",
    # Everyone changes their own password (the old one asked first).
    "GET my_password": "302 200 200 200 200 200 | -",
    "POST my_token_new": "302 302 302 302 302 302 | -",
    "GET my_token_revoke": "302 200 404 404 404 404 | 404",
    "GET opportunity_detail": "302 200 200 200 200 200 | 404",
    "GET opportunity_delete": "302 200 200 200 200 200 | 404",
    "GET opportunity_list": "302 200 200 200 200 200 | -",
    "POST plan_confirm": "302 302 302 302 302 302 | 404",
    "GET plan_create": "302 200 200 200 403 200 | 404",
    # Comments (issue 17): anyone who sees the plan comments; the demo's first comment is
    # the manager's, so only the manager may open its edit form (a POST refused is 302).
    "GET plan_comments": "302 302 302 302 302 302 | 404",
    "POST plan_comment_add": "302 302 302 302 302 302 | 404",
    "GET plan_comment_edit": "302 403 302 403 403 403 | 404",
    "POST plan_comment_delete": "302 302 302 302 302 302 | 404",
    "GET plan_mentionable": "302 200 200 200 200 200 | 404",
    "GET new_offerings": "302 200 200 200 200 200 | -",
    "GET executive_program": "302 200 200 200 200 200 | -",
    "GET new_offerings_csv": "302 200 200 200 200 200 | -",
    "GET plan_detail": "302 200 200 200 200 200 | 404",
    "GET plan_element": "302 200 200 200 403 200 | 404",
    "POST plan_element_delete": "302 302 302 302 302 302 | 404",
    "GET plan_element_new": "302 200 200 200 403 200 | 404",
    "POST plan_idea_from_whitespace": "302 302 302 302 302 302 | 404",
    "POST plan_idea_move": "302 302 302 302 302 302 | 404",
    "POST plan_investment_decide": "302 302 302 302 302 302 | 404",
    "POST plan_investment_submit": "302 302 302 302 302 302 | 404",
    "GET plan_list": "302 200 200 200 200 200 | -",
    "GET plan_map": "302 200 200 200 200 200 | 404",
    "GET plan_map_contact": "302 200 200 200 403 200 | 404",
    "GET plan_map_contact_new": "302 200 200 200 403 200 | 404",
    "POST plan_map_pairing_delete": "302 302 302 302 302 302 | 404",
    "GET plan_map_pairing_new": "302 200 200 200 403 200 | 404",
    "GET plan_export": "302 200 200 200 200 200 | 404",
    # A review pack names its rep and quarter in the query: without them, 400.
    "GET review_pack": "302 400 400 400 400 400 | -",
    # The plan shared with the customer: the page opens by its signed link, signed in or
    # not; sharing and revoking follow who edits the plan.
    "GET mutual_plan": "200 200 200 200 200 200 | -",
    "GET plan_share_new": "302 200 200 200 403 200 | 404",
    "POST plan_share_revoke": "302 302 302 302 403 302 | 404",
    "POST plan_opportunity": "302 302 302 302 302 302 | 404",
    "GET plan_section": "302 200 200 200 403 200 | 404",
    "POST plan_status": "302 302 302 302 302 302 | 404",
    "GET plan_versions": "302 200 200 200 200 200 | 404",
    "POST potential_estimate": "302 302 302 302 302 302 | 404",
    "GET product_list": "302 200 200 200 200 200 | -",
    "GET strategic": "302 200 200 200 200 200 | -",
    "GET team_create": "302 403 403 403 200 200 | -",
    "GET team_edit": "302 403 403 403 200 200 | -",
    "GET territory": "302 200 200 200 200 200 | -",
    "GET territory_history": "302 200 200 200 200 200 | -",
    "GET tiers": "302 200 200 200 200 200 | -",
    "GET user_create": "302 403 403 403 200 200 | -",
    "GET user_edit": "302 403 403 403 200 200 | -",
    "GET user_list": "302 403 403 403 200 200 | -",
    "POST user_revoke_token": "302 403 403 403 302 302 | -",
    "POST user_unlock": "302 403 403 403 302 302 | -",
    "GET forecast": "302 200 200 200 200 200 | -",
    # Quotas: everyone reads the board (each sees their scope's quotas); sales ops and
    # admins set them (an empty form comes back, 400, with what to correct); a rep's
    # distribution page is 404 out of reach. Setting a goal
    # apart answers with a message on the next page (refused or done).
    "GET quotas": "302 200 200 200 200 200 | -",
    "POST quota_set": "302 403 403 403 400 400 | -",
    "GET quota_goals": "302 200 200 200 200 200 | 404",
    "POST goal_apart": "302 302 302 302 302 302 | -",
    "GET whitespace": "302 200 200 200 200 200 | -",
    "GET whitespace_export": "302 200 200 200 200 200 | -",
    # The leaders' views: the team board for managers and those who see everything, the
    # company view for those who see everything; a drill-down needs its figure (400
    # without one) and shows only what the asker sees.
    "GET team_board": "302 403 200 200 200 200 | -",
    "GET company_view": "302 403 403 200 200 200 | -",
    "GET rollup_drill": "302 400 400 400 400 400 | -",
    # Territory plans: everyone reads those they see (another rep's is 404); the rep,
    # their manager, sales ops and admins change them, executives only read (a refused
    # web POST answers 403 here, the page's forms being absent for them). Opening a part
    # to edit redirects to it in place on the plan's page. Starting a plan answers with
    # a message on the next page (started, or why not).
    "GET territory_plans": "302 200 200 200 200 200 | -",
    "POST territory_plan_start": "302 302 302 302 302 302 | -",
    "GET territory_plan": "302 200 200 200 200 200 | 404",
    "GET territory_plan_export": "302 200 200 200 200 200 | 404",
    "POST territory_facts": "302 302 302 403 302 302 | 404",
    "GET territory_part_new": "302 302 302 302 302 302 | 404",
    "GET territory_part": "302 302 302 302 302 302 | 404",
    "POST territory_part_delete": "302 302 302 403 302 302 | 404",
    "POST territory_plan_status": "302 302 302 403 302 302 | 404",
    "GET territory_versions": "302 200 200 200 200 200 | 404",
    "POST territory_version_take": "302 302 302 403 302 302 | 404",
    # Quarterly reviews: everyone reads the sittings they see (another team's is 404); the
    # rep's managers (and admins) change and run them — the rep, executives and sales ops
    # are refused (403) before anything posted is read. An empty form comes back (400),
    # a post naming no plan of the agenda is 404, closing without outcomes answers with a
    # message on the next page. Scheduling takes only the asker's own reps (an empty
    # form: 400).
    "GET reviews_quarter": "302 200 200 200 200 200 | -",
    "POST reviews_schedule": "302 400 400 400 400 400 | -",
    "GET review_sitting": "302 200 200 200 200 200 | 404",
    "GET review_mode": "302 200 200 200 200 200 | 404",
    "POST review_sitting_edit": "302 403 400 403 403 400 | 404",
    "POST review_sitting_cancel": "302 403 302 403 403 302 | 404",
    "POST review_outcome": "302 403 404 403 403 404 | 404",
    "POST review_action": "302 403 404 403 403 404 | 404",
    "POST review_close": "302 403 302 403 403 302 | 404",
}

# The API, with the same columns.
API = {
    # Roll-ups: everyone gets the rows they see; a drill-down needs its figure.
    "GET /api/v1/rollups/": "401 200 200 200 200 200 | -",
    "GET /api/v1/rollups/drill/": "401 400 400 400 400 400 | -",
    # Territory plans and their parts: read where seen (another rep's plan and its parts
    # 404); the rep, their manager, sales ops and admins write, executives only read
    # (403). An empty body is refused (400); a state change or a change without the
    # version read is 428.
    "GET /api/v1/territory-plans/": "401 200 200 200 200 200 | -",
    "POST /api/v1/territory-plans/": "401 400 400 400 400 400 | -",
    "GET /api/v1/territory-plans/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/territory-plans/{id}/changes/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/territory-plans/{id}/versions/": "401 200 200 200 200 200 | 404",
    "POST /api/v1/territory-plans/{id}/versions/": "401 201 201 403 201 201 | 404",
    "POST /api/v1/territory-plans/{id}/activate/": "401 428 428 428 428 428 | 404",
    "POST /api/v1/territory-plans/{id}/archive/": "401 428 428 428 428 428 | 404",
    "POST /api/v1/territory-plans/{id}/facts-review/": "401 428 428 428 428 428 | 404",
    "GET /api/v1/territory-plans/{plan_pk}/activities/": "401 200 200 200 200 200 | 404",
    "POST /api/v1/territory-plans/{plan_pk}/activities/": "401 400 400 400 400 400 | 404",
    "GET /api/v1/territory-plans/{plan_pk}/activities/{id}/": "401 200 200 200 200 200 | 404",
    "PATCH /api/v1/territory-plans/{plan_pk}/activities/{id}/": "401 200 200 403 200 200 | 404",
    "DELETE /api/v1/territory-plans/{plan_pk}/activities/{id}/": "401 204 204 403 204 204 | 404",
    "GET /api/v1/territory-plans/{plan_pk}/goals/": "401 200 200 200 200 200 | 404",
    "POST /api/v1/territory-plans/{plan_pk}/goals/": "401 400 400 400 400 400 | 404",
    "GET /api/v1/territory-plans/{plan_pk}/goals/{id}/": "401 200 200 200 200 200 | 404",
    "PATCH /api/v1/territory-plans/{plan_pk}/goals/{id}/": "401 200 200 403 200 200 | 404",
    "DELETE /api/v1/territory-plans/{plan_pk}/goals/{id}/": "401 204 204 403 204 204 | 404",
    "GET /api/v1/territory-plans/{plan_pk}/objectives/": "401 200 200 200 200 200 | 404",
    "POST /api/v1/territory-plans/{plan_pk}/objectives/": "401 400 400 400 400 400 | 404",
    "GET /api/v1/territory-plans/{plan_pk}/objectives/{id}/": "401 200 200 200 200 200 | 404",
    "PATCH /api/v1/territory-plans/{plan_pk}/objectives/{id}/": "401 200 200 403 200 200 | 404",
    "DELETE /api/v1/territory-plans/{plan_pk}/objectives/{id}/": "401 204 204 403 204 204 | 404",
    "GET /api/v1/territory-plans/{plan_pk}/resources/": "401 200 200 200 200 200 | 404",
    "POST /api/v1/territory-plans/{plan_pk}/resources/": "401 400 400 400 400 400 | 404",
    "GET /api/v1/territory-plans/{plan_pk}/resources/{id}/": "401 200 200 200 200 200 | 404",
    "PATCH /api/v1/territory-plans/{plan_pk}/resources/{id}/": "401 200 200 403 200 200 | 404",
    "DELETE /api/v1/territory-plans/{plan_pk}/resources/{id}/": "401 204 204 403 204 204 | 404",
    "GET /api/v1/territory-plans/{plan_pk}/strategies/": "401 200 200 200 200 200 | 404",
    "POST /api/v1/territory-plans/{plan_pk}/strategies/": "401 400 400 400 400 400 | 404",
    "GET /api/v1/territory-plans/{plan_pk}/strategies/{id}/": "401 200 200 200 200 200 | 404",
    "PATCH /api/v1/territory-plans/{plan_pk}/strategies/{id}/": "401 200 200 403 200 200 | 404",
    "DELETE /api/v1/territory-plans/{plan_pk}/strategies/{id}/": "401 204 204 403 204 204 | 404",
    # What a delete would take with it: read-only, for whoever sees the record.
    "GET /api/v1/accounts/{id}/deletion/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/contacts/{id}/deletion/": "401 200 200 200 200 200 | 404",
    "DELETE /api/v1/accounts/{id}/": "401 403 403 403 400 400 | 404",
    "DELETE /api/v1/auth/token/": "401 204 204 204 204 204 | -",
    "DELETE /api/v1/contacts/{id}/": "401 204 204 204 204 204 | 404",
    "DELETE /api/v1/interactions/{id}/": "401 204 204 204 204 204 | 404",
    "DELETE /api/v1/opportunities/{id}/": "401 204 204 204 204 204 | 404",
    "DELETE /api/v1/plan-actions/{id}/": "401 204 204 403 403 204 | 404",
    "DELETE /api/v1/plan-goals/{id}/": "401 204 204 204 403 204 | 404",
    "DELETE /api/v1/plan-help-requests/{id}/": "401 204 204 204 403 204 | 404",
    "DELETE /api/v1/plan-ideas/{id}/": "401 400 400 400 403 400 | 404",
    "DELETE /api/v1/plan-investments/{id}/": "401 400 400 400 403 400 | -",
    "DELETE /api/v1/plan-milestones/{id}/": "401 204 204 403 403 204 | 404",
    "DELETE /api/v1/plan-objectives/{id}/": "401 204 204 204 403 204 | 404",
    "DELETE /api/v1/plan-pairings/{id}/": "401 204 204 204 403 204 | 404",
    "DELETE /api/v1/plan-qualitative-goals/{id}/": "401 204 204 204 403 204 | 404",
    "DELETE /api/v1/plan-strategies/{id}/": "401 204 204 204 403 204 | -",
    "DELETE /api/v1/plan-values/{id}/": "401 204 204 204 403 204 | 404",
    "DELETE /api/v1/plan-vendors/{id}/": "401 204 204 204 403 204 | 404",
    "DELETE /api/v1/product-lines/{id}/": "401 403 403 403 400 400 | -",
    "DELETE /api/v1/products/{id}/": "401 403 403 403 400 400 | -",
    "DELETE /api/v1/sale-lines/{id}/": "401 403 403 403 204 204 | 403",
    "GET /api/v1/accounts/": "401 200 200 200 200 200 | -",
    "GET /api/v1/accounts/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/accounts/{id}/forecast/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/analyses/audience/": "401 200 200 200 200 200 | -",
    "GET /api/v1/analyses/forecast/": "401 200 200 200 200 200 | -",
    "GET /api/v1/analyses/pareto/": "401 200 200 200 200 200 | -",
    "GET /api/v1/analyses/tiers/": "401 200 200 200 200 200 | -",
    "GET /api/v1/analyses/wallet/": "401 200 200 200 200 200 | -",
    "GET /api/v1/analyses/wallet/history/": "401 400 400 400 400 400 | -",
    "GET /api/v1/analyses/whitespace/": "401 200 200 200 200 200 | -",
    "GET /api/v1/capacity/": "401 200 200 200 200 200 | -",
    "GET /api/v1/contacts/": "401 200 200 200 200 200 | -",
    "GET /api/v1/contacts/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/imports/": "401 403 403 403 200 200 | -",
    "GET /api/v1/imports/{id}/": "401 403 403 403 200 200 | 403",
    # Starting a lost import again: sales ops and admins; the run asked for was not lost
    # (409, with why).
    "POST /api/v1/imports/{id}/import-again/": "401 403 403 403 409 409 | 403",
    "GET /api/v1/interactions/": "401 200 200 200 200 200 | -",
    "GET /api/v1/interactions/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/my-work/": "401 200 200 200 200 200 | -",
    "GET /api/v1/new-offering-requests/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plans/{id}/comments/": "401 200 200 200 200 200 | 404",
    "POST /api/v1/plans/{id}/comments/": "401 400 400 400 400 400 | 404",
    "GET /api/v1/plans/{id}/comments/{comment_id}/": "401 200 200 200 200 200 | 404",
    "PATCH /api/v1/plans/{id}/comments/{comment_id}/": "401 400 400 400 400 400 | 404",
    # Only the author (the manager) removes the demo's first comment.
    "DELETE /api/v1/plans/{id}/comments/{comment_id}/": "401 403 204 403 403 403 | 404",
    "GET /api/v1/opportunities/": "401 200 200 200 200 200 | -",
    "GET /api/v1/opportunities/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plan-actions/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-actions/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plan-goals/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-goals/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plan-help-requests/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-help-requests/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plan-ideas/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-ideas/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plan-investments/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-investments/{id}/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-milestones/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-milestones/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plan-objectives/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-objectives/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plan-pairings/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-pairings/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plan-qualitative-goals/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-qualitative-goals/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plan-strategies/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-strategies/{id}/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-values/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-values/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plan-vendors/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plan-vendors/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plans/": "401 200 200 200 200 200 | -",
    "GET /api/v1/plans/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plans/{id}/activity/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plans/{id}/capacity/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plans/{id}/export/": "401 400 400 400 400 400 | 404",
    "GET /api/v1/exports/salesforce/": "401 403 403 403 200 200 | -",
    "GET /api/v1/territory-plans/{id}/export/": "401 400 400 400 400 400 | 404",
    "GET /api/v1/review-packs/": "401 400 400 400 400 400 | -",
    # The plan shared with the customer (keyplan.mutual): its owner's links.
    "GET /api/v1/plans/{id}/shares/": "401 200 200 200 200 200 | 404",
    "POST /api/v1/plans/{id}/shares/": "401 400 400 400 403 400 | 404",
    "POST /api/v1/plans/{id}/shares/{share_id}/revoke/": "401 200 200 200 403 200 | 404",
    "GET /api/v1/plans/{id}/health/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plans/{id}/versions/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/plans/{id}/versions/compare/": "401 400 400 400 400 400 | 404",
    # Quotas: read within each person's scope, written by sales ops and admins (an empty
    # create or full change is 400: no holder, period or amount).
    "GET /api/v1/quotas/": "401 200 200 200 200 200 | -",
    "GET /api/v1/quotas/{id}/": "401 200 200 200 200 200 | 404",
    "POST /api/v1/quotas/": "401 403 403 403 400 400 | -",
    "PUT /api/v1/quotas/{id}/": "401 403 403 403 400 400 | 403",
    "PATCH /api/v1/quotas/{id}/": "401 403 403 403 200 200 | 403",
    "DELETE /api/v1/quotas/{id}/": "401 403 403 403 204 204 | 403",
    # Review sittings: read-only; each reads the sittings they see.
    "GET /api/v1/review-sittings/": "401 200 200 200 200 200 | -",
    "GET /api/v1/review-sittings/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/product-lines/": "401 200 200 200 200 200 | -",
    "GET /api/v1/product-lines/{id}/": "401 200 200 200 200 200 | -",
    "GET /api/v1/products/": "401 200 200 200 200 200 | -",
    "GET /api/v1/products/{id}/": "401 200 200 200 200 200 | -",
    "GET /api/v1/sale-lines/": "401 200 200 200 200 200 | -",
    "GET /api/v1/sale-lines/{id}/": "401 200 200 200 200 200 | 404",
    "GET /api/v1/users/": "401 200 200 200 200 200 | -",
    "GET /api/v1/users/{id}/": "401 200 200 200 200 200 | -",
    "PATCH /api/v1/accounts/{id}/": "401 200 200 200 200 200 | 404",
    "PATCH /api/v1/contacts/{id}/": "401 200 200 200 200 200 | 404",
    "PATCH /api/v1/interactions/{id}/": "401 200 200 200 200 200 | 404",
    "PATCH /api/v1/opportunities/{id}/": "401 200 200 200 200 200 | 404",
    "PATCH /api/v1/plan-actions/{id}/": "401 200 200 403 403 200 | 404",
    "PATCH /api/v1/plan-goals/{id}/": "401 200 200 200 403 200 | 404",
    "PATCH /api/v1/plan-help-requests/{id}/": "401 400 400 400 403 400 | 404",
    "PATCH /api/v1/plan-ideas/{id}/": "401 200 200 200 403 200 | 404",
    "PATCH /api/v1/plan-investments/{id}/": "401 400 400 400 403 400 | -",
    "PATCH /api/v1/plan-milestones/{id}/": "401 200 200 403 403 200 | 404",
    "PATCH /api/v1/plan-objectives/{id}/": "401 200 200 200 403 200 | 404",
    "PATCH /api/v1/plan-pairings/{id}/": "401 200 200 200 403 200 | 404",
    "PATCH /api/v1/plan-qualitative-goals/{id}/": "401 200 200 200 403 200 | 404",
    "PATCH /api/v1/plan-strategies/{id}/": "401 200 200 200 403 200 | -",
    "PATCH /api/v1/plan-values/{id}/": "401 200 200 200 403 200 | 404",
    "PATCH /api/v1/plan-vendors/{id}/": "401 200 200 200 403 200 | 404",
    "PATCH /api/v1/plans/{id}/": "401 200 200 200 403 200 | 404",
    "PATCH /api/v1/product-lines/{id}/": "401 403 403 403 200 200 | -",
    "PATCH /api/v1/products/{id}/": "401 403 403 403 200 200 | -",
    "PATCH /api/v1/sale-lines/{id}/": "401 403 403 403 200 200 | 403",
    "POST /api/v1/accounts/": "401 400 400 400 400 400 | -",
    "POST /api/v1/auth/token/": "400 400 400 400 400 400 | -",
    "POST /api/v1/contacts/": "401 400 400 400 400 400 | -",
    "POST /api/v1/imports/": "401 403 403 403 415 415 | -",
    "POST /api/v1/interactions/": "401 400 400 400 400 400 | -",
    "POST /api/v1/opportunities/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-actions/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-goals/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-help-requests/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-help-requests/{id}/respond/": "401 400 400 400 400 400 | 404",
    "POST /api/v1/plan-ideas/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-ideas/{id}/move/": "401 400 400 400 400 400 | 404",
    "POST /api/v1/plan-investments/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-investments/{id}/decide/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-investments/{id}/submit/": "401 400 400 400 403 400 | -",
    "POST /api/v1/plan-milestones/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-objectives/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-pairings/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-qualitative-goals/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-strategies/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-values/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plan-vendors/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plans/": "401 400 400 400 400 400 | -",
    "POST /api/v1/plans/{id}/activate/": "401 400 400 400 403 400 | 404",
    "POST /api/v1/plans/{id}/archive/": "401 200 200 200 403 200 | 404",
    "POST /api/v1/plans/{id}/confirm/": "401 200 200 200 403 200 | 404",
    "POST /api/v1/plans/{id}/versions/": "401 201 201 201 403 201 | 404",
    "POST /api/v1/product-lines/": "401 403 403 403 400 400 | -",
    "POST /api/v1/products/": "401 403 403 403 400 400 | -",
    "POST /api/v1/sale-lines/": "401 403 403 403 400 400 | -",
    # Executive meeting requests: an empty answer is refused (400) before anything else;
    # withdrawing needs no reason, so the asker's side withdraws (the executive: 403).
    "GET /api/v1/executive-meeting-requests/": "401 200 200 200 200 200 | -",
    "GET /api/v1/executive-meeting-requests/{id}/": "401 200 200 200 200 200 | 404",
    "POST /api/v1/executive-meeting-requests/": "401 400 400 400 400 400 | -",
    "POST /api/v1/executive-meeting-requests/{id}/accept/": "401 400 400 400 400 400 | 404",
    "POST /api/v1/executive-meeting-requests/{id}/decline/": "401 400 400 400 400 400 | 404",
    "POST /api/v1/executive-meeting-requests/{id}/held/": "401 400 400 400 400 400 | 404",
    "POST /api/v1/executive-meeting-requests/{id}/withdraw/": "401 200 200 403 200 200 | 404",
    "PUT /api/v1/accounts/{id}/": "401 400 400 400 400 400 | 404",
    "PUT /api/v1/contacts/{id}/": "401 400 400 400 400 400 | 404",
    "PUT /api/v1/interactions/{id}/": "401 400 400 400 400 400 | 404",
    "PUT /api/v1/opportunities/{id}/": "401 400 400 400 400 400 | 404",
    "PUT /api/v1/product-lines/{id}/": "401 403 403 403 400 400 | -",
    "PUT /api/v1/products/{id}/": "401 403 403 403 400 400 | -",
    "PUT /api/v1/sale-lines/{id}/": "401 403 403 403 400 400 | 403",
}


@pytest.fixture
def territory():
    return Territory()


def _differences(expected: dict, observed: dict) -> str:
    rows = []
    for key in sorted(set(expected) | set(observed)):
        if expected.get(key) != observed.get(key):
            was, now = expected.get(key, "(no row)"), observed.get(key, "(gone)")
            rows.append(f"{key}: expected {was}, got {now}")
    return "\n".join(rows)


def test_every_web_url_answers_each_role_as_the_table_says(territory):
    observed = observed_web(territory)
    assert "500" not in " ".join(observed.values())
    assert observed == WEB, "access changed (or a URL is new):\n" + _differences(WEB, observed)


def test_every_api_operation_answers_each_role_as_the_table_says(territory):
    observed = observed_api(territory)
    assert "500" not in " ".join(observed.values())
    assert len(observed) > 100, "every operation of the schema is asked"
    assert observed == API, "access changed (or an operation is new):\n" + _differences(
        API, observed
    )
