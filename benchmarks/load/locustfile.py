"""30 people using keyplan at once: what `benchmarks/load/run_load.py` runs under locust.

Each simulated person signs in (the sign-in form, as a browser does) as one of the demo
roles — rep, manager, executive, sales ops, admin; password ``demo`` — and walks the pages
that role walks: home, accounts and an account, contacts, opportunities, products, the
plans list and a plan page (its map, versions and section forms), the territory analyses
(Pareto and tiers, white space by product and by line, audience, strategic accounts and
share of wallet, history), My work, capacity, notifications, the import history (sales
ops and admins), and the API with a token (lists, a plan, the analyses). Some of what they
do writes: saving a plan section from its form with the version the form carried (as the
page does, over htmx), and a PATCH of a plan through the API with the version read first.

A save refused because someone else saved the same plan in between (the form shown again
with the reason; the API's 409) is the application doing its job when several people
edit one plan: it is reported under its own name ("... (refused: stale)"), not as an
error. Every other answer that is not 2xx/3xx, or a page without its expected content, is
an error.

Pages are grouped by kind in the statistics ("/accounts/[id]/"), so p95 is per page.
Think time between pages: ``KEYPLAN_LOAD_WAIT`` seconds, "MIN-MAX" (default 1-3).

Run it through ``run_load.py`` (which starts the server on a demo database), or by hand
against a running keyplan:

    locust -f benchmarks/load/locustfile.py --host http://127.0.0.1:8000 \
        --headless --users 30 --spawn-rate 5 --run-time 2m --csv out/load
"""

import itertools
import json
import os
import random
import re
from html.parser import HTMLParser

import gevent
from gevent.lock import Semaphore
from locust import HttpUser, between, events, task
from locust.clients import HttpSession

_wait = os.environ.get("KEYPLAN_LOAD_WAIT", "1-3").split("-")
WAIT_MIN, WAIT_MAX = float(_wait[0]), float(_wait[-1])
PASSWORD = os.environ.get("KEYPLAN_LOAD_PASSWORD", "demo")
# Statistics restart KEYPLAN_LOAD_SETTLE seconds after the last person has signed in
# (a sign-in costs a deliberate ~0.5-0.9 s of CPU: Django's PBKDF2 with a million
# rounds; 60 at once — form and API token — saturate two CPUs for a while). What the
# ramp-up measured, sign-ins included, is written to KEYPLAN_LOAD_RAMPUP_JSON. With
# KEYPLAN_LOAD_MEASURE (seconds) the run stops that long after the restart.
SETTLE = float(os.environ.get("KEYPLAN_LOAD_SETTLE", "5"))
MEASURE = float(os.environ.get("KEYPLAN_LOAD_MEASURE", "0"))
RAMPUP_JSON = os.environ.get("KEYPLAN_LOAD_RAMPUP_JSON", "")

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_marker = itertools.count(1)
_tokens: dict[str, str] = {}
_token_locks: dict[str, Semaphore] = {}


class FormFields(HTMLParser):
    """The fields a browser would submit from the first <form> of a fragment: inputs
    (checked boxes only), textareas and the selected options of selects."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._textarea = None
        self._text = []
        self._select = None
        self._in_form = False
        self._done = False

    def handle_starttag(self, tag, attrs):
        if self._done:
            return
        a = dict(attrs)
        if tag == "form":
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self.fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.fields.append((self._select, a.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea:
            self.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._done = True

    def handle_data(self, data):
        if self._textarea:
            self._text.append(data)


def form_fields(html: str) -> list[tuple[str, str]]:
    parser = FormFields()
    parser.feed(html)
    return parser.fields


def with_marker(text: str) -> str:
    """The text with a changing marker at its end, so every save changes something."""
    base = re.sub(r" \[load \d+\]$", "", text.rstrip())
    return f"{base} [load {next(_marker)}]"


def error_of(html: str) -> str:
    """The first words of what a refused form says (tags dropped), for the failure's name."""
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    for marker in ("not saved", "error", "refused", "busy", "required"):
        at = text.find(marker)
        if at >= 0:
            return text[max(0, at - 80) : at + 80]
    return text[:160]


def ids_in(html: str, prefix: str) -> list[int]:
    return sorted({int(m) for m in re.findall(rf'href="{re.escape(prefix)}(\d+)/"', html)})


class KeyplanUser(HttpUser):
    abstract = True
    wait_time = between(WAIT_MIN, WAIT_MAX)
    username = ""
    edits_plans = False

    # -- signing in and finding one's records -------------------------------------------
    def on_start(self):
        # The API is used as a script would: its own connection, a token, no cookies.
        self.api_client = HttpSession(
            base_url=self.host, request_event=self.environment.events.request, user=self
        )
        # One token per person, shared by the simulated users who sign in as that person
        # (12 of them are "rep"): a person holds at most 10 tokens, and an eleventh ends
        # the oldest, so a token per simulated user would revoke the first ones.
        with _token_locks.setdefault(self.username, Semaphore()):
            if self.username not in _tokens:
                with self.api_client.post(
                    "/api/v1/auth/token/",
                    data={"username": self.username, "password": PASSWORD},
                    name="/api/v1/auth/token/ (sign in)",
                    catch_response=True,
                ) as response:
                    if response.status_code != 200:
                        response.failure(f"no API token: {response.status_code}")
                    else:
                        _tokens[self.username] = response.json()["token"]
        token = _tokens.get(self.username)
        self.api_headers = {"Authorization": f"Token {token}"} if token else {}
        login = self.client.get("/login/", name="/login/")
        token = _CSRF.search(login.text).group(1)
        with self.client.post(
            "/login/",
            data={
                "csrfmiddlewaretoken": token,
                "username": self.username,
                "password": PASSWORD,
                "next": "",
            },
            headers={"Referer": self.host + "/login/"},
            name="/login/ (sign in)",
            catch_response=True,
        ) as response:
            if "sessionid" not in self.client.cookies:
                response.failure(f"{self.username} could not sign in")
                raise RuntimeError(f"{self.username} could not sign in")
        home = self.client.get("/", name="/")
        accounts = self.client.get("/accounts/", name="/accounts/")
        self.accounts = ids_in(accounts.text, "/accounts/") or ids_in(home.text, "/accounts/")
        plans = self.client.get("/plans/", name="/plans/")
        self.plans = ids_in(plans.text, "/plans/")
        opportunities = self.client.get("/opportunities/", name="/opportunities/")
        self.opportunities = ids_in(opportunities.text, "/opportunities/")
        contacts = self.client.get("/contacts/", name="/contacts/")
        self.contacts = ids_in(contacts.text, "/contacts/")
        _one_more_signed_in()

    def page(self, url: str, name: str, expect: str | None = None, **kwargs):
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code >= 400:
                response.failure(f"{response.status_code}")
            elif expect and expect not in response.text:
                response.failure(f"the page lacks {expect!r}")
            return response

    def api(self, url: str, name: str):
        with self.api_client.get(
            url, name=name, headers=self.api_headers, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            return response

    # -- pages every role walks ---------------------------------------------------------
    @task(6)
    def home(self):
        self.page("/", "/")

    @task(4)
    def accounts_list(self):
        choice = random.random()
        if choice < 0.6:
            self.page("/accounts/", "/accounts/")
        elif choice < 0.8:
            self.page("/accounts/?q=group", "/accounts/?q=")
        else:
            self.page("/accounts/?sort=owner&page=2", "/accounts/?sort=&page=")

    @task(6)
    def account_page(self):
        if self.accounts:
            self.page(f"/accounts/{random.choice(self.accounts)}/", "/accounts/[id]/")

    @task(2)
    def contacts(self):
        self.page("/contacts/", "/contacts/")
        if self.contacts:
            self.page(f"/contacts/{random.choice(self.contacts)}/", "/contacts/[id]/")

    @task(3)
    def opportunities_pages(self):
        self.page("/opportunities/?status=open", "/opportunities/?status=open")
        if self.opportunities:
            pk = random.choice(self.opportunities)
            self.page(f"/opportunities/{pk}/", "/opportunities/[id]/")

    @task(1)
    def products(self):
        self.page("/products/", "/products/")

    @task(3)
    def plans_list(self):
        self.page("/plans/", "/plans/")

    @task(6)
    def plan_page(self):
        if self.plans:
            self.page(f"/plans/{random.choice(self.plans)}/", "/plans/[id]/")

    @task(2)
    def plan_map_and_versions(self):
        if self.plans:
            pk = random.choice(self.plans)
            self.page(f"/plans/{pk}/map/", "/plans/[id]/map/")
            self.page(f"/plans/{pk}/versions/", "/plans/[id]/versions/")

    @task(3)
    def territory(self):
        self.page("/territory/", "/territory/")

    @task(2)
    def tiers(self):
        self.page("/territory/tiers/", "/territory/tiers/")

    @task(2)
    def whitespace(self):
        if random.random() < 0.6:
            self.page("/territory/whitespace/", "/territory/whitespace/")
        else:
            self.page("/territory/whitespace/?by=line", "/territory/whitespace/?by=line")

    @task(1)
    def audience(self):
        self.page("/territory/audience/", "/territory/audience/")

    @task(2)
    def strategic_and_wallet(self):
        self.page("/territory/strategic/", "/territory/strategic/")

    @task(1)
    def history(self):
        self.page("/territory/history/", "/territory/history/")

    @task(4)
    def my_work(self):
        self.page("/my-work/", "/my-work/")

    @task(1)
    def capacity(self):
        self.page("/capacity/", "/capacity/")

    @task(1)
    def notifications(self):
        self.page("/notifications/", "/notifications/")

    # -- the API, with a token ----------------------------------------------------------
    @task(2)
    def api_lists(self):
        self.api("/api/v1/accounts/", "/api/v1/accounts/")
        self.api("/api/v1/opportunities/?status=open", "/api/v1/opportunities/")

    @task(2)
    def api_records(self):
        if self.accounts:
            pk = random.choice(self.accounts)
            self.api(f"/api/v1/accounts/{pk}/", "/api/v1/accounts/[id]/")
        if self.plans:
            pk = random.choice(self.plans)
            self.api(f"/api/v1/plans/{pk}/", "/api/v1/plans/[id]/")

    @task(1)
    def api_analyses(self):
        name = random.choice(["pareto", "tiers", "wallet", "whitespace"])
        self.api(f"/api/v1/analyses/{name}/", f"/api/v1/analyses/{name}/")

    # -- writes (only people who edit plans) --------------------------------------------
    @task(2)
    def save_plan_section(self):
        """Open a section's form (htmx) and save it with one field changed."""
        if not (self.edits_plans and self.plans):
            return
        pk = random.choice(self.plans)
        section = random.choice(["insights", "research"])
        url = f"/plans/{pk}/section/{section}/"
        htmx = {"HX-Request": "true", "Referer": f"{self.host}/plans/{pk}/"}
        form = self.page(url, "/plans/[id]/section/[section]/ (form)", headers=htmx)
        fields = form_fields(form.text)
        names = [n for n, _ in fields]
        if "version" not in names:
            return
        target = "value_perception" if section == "insights" else "customer_trends"
        data = [(n, with_marker(v) if n == target else v) for n, v in fields]
        with self.client.post(
            url,
            data=data,
            headers=htmx,
            name="/plans/[id]/section/[section]/ (save)",
            catch_response=True,
        ) as response:
            if response.status_code >= 400:
                response.failure(f"{response.status_code}")
            elif response.headers.get("HX-Reswap") == "innerHTML":
                # A refused save goes back into the form's slot (innerHTML); a saved one
                # replaces its section or the plan body (outerHTML, also retargeted).
                # Refused as stale: someone else saved it after this form was opened, or
                # the same person did from another window (the load's people share the
                # demo's logins, so two of them can be one person in two windows).
                stale = ("after you opened it", "in another tab or window")
                if any(words in response.text for words in stale):
                    response.request_meta["name"] += " (refused: stale)"
                else:
                    response.failure(f"the form came back with an error: {error_of(response.text)}")

    @task(1)
    def api_patch_plan(self):
        if not (self.edits_plans and self.plans and self.api_headers):
            return
        pk = random.choice(self.plans)
        read = self.api(f"/api/v1/plans/{pk}/", "/api/v1/plans/[id]/")
        if read.status_code != 200:
            return
        plan = read.json()
        with self.api_client.patch(
            f"/api/v1/plans/{pk}/",
            json={
                "our_aspirations": with_marker(plan["our_aspirations"]),
                "version": plan["version"],
            },
            headers=self.api_headers,
            name="/api/v1/plans/[id]/ (PATCH)",
            catch_response=True,
        ) as response:
            if response.status_code == 409:
                response.request_meta["name"] += " (refused: stale)"
                response.success()
            elif response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:200]}")


class Rep(KeyplanUser):
    fixed_count = 12
    username = "rep"
    edits_plans = True


class Manager(KeyplanUser):
    fixed_count = 6
    username = "manager"
    edits_plans = True


class Executive(KeyplanUser):
    fixed_count = 6
    username = "exec"


class SalesOps(KeyplanUser):
    fixed_count = 3
    username = "ops"

    @task(2)
    def imports_history(self):
        self.page("/imports/", "/imports/")

    @task(1)
    def api_sale_lines(self):
        self.api("/api/v1/sale-lines/", "/api/v1/sale-lines/")


class Admin(KeyplanUser):
    fixed_count = 3
    username = "admin"

    @task(2)
    def imports_history(self):
        self.page("/imports/", "/imports/")

    @task(1)
    def audit_log(self):
        self.page("/audit-log/", "/audit-log/")

    @task(1)
    def people(self):
        self.page("/people/", "/people/")


_environment = []
_signed_in = [0]


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    _environment.append(environment)


def _one_more_signed_in() -> None:
    """Once every person has signed in, wait SETTLE seconds, keep what the ramp-up
    measured, restart the statistics and, with KEYPLAN_LOAD_MEASURE, stop after it."""
    _signed_in[0] += 1
    environment = _environment[0]
    if _signed_in[0] != environment.parsed_options.num_users:
        return

    def settle_then_measure():
        gevent.sleep(SETTLE)
        if RAMPUP_JSON:
            with open(RAMPUP_JSON, "w") as out:
                json.dump(stats_summary(environment.stats), out, indent=1)
        environment.stats.reset_all()
        if MEASURE > 0:
            gevent.sleep(MEASURE)
            environment.runner.quit()

    gevent.spawn(settle_then_measure)


def stats_summary(stats) -> list[dict]:
    return [
        {
            "method": entry.method,
            "name": entry.name,
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "median_ms": entry.median_response_time,
            "p95_ms": entry.get_response_time_percentile(0.95),
            "max_ms": entry.max_response_time,
        }
        for entry in sorted(stats.entries.values(), key=lambda e: e.name)
    ]
