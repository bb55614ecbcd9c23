"""A deterministic synthetic sales territory, for the demo, tests and benchmarks.

``generate(spec, writer)`` walks the territory once, account by account, and hands each
record to a writer (the database or CSV files in the canonical import format), so a
100,000-account territory with ~10,000,000 sale lines streams through in constant memory.
Everything comes from one ``random.Random(seed)``: the same seed and size give the same
territory, byte for byte in CSV.

Shape: a few accounts carry most revenue (Pareto-distributed weights); ~15% of top-level
accounts are groups with business units, divisions and budget centres; product lines are
bought together by affinity (so white space means something); 36 months of sales with a
Q4 peak and a trend per account; opportunities in every stage, won ones delivered as sale
lines linked to them; contacts in reporting lines per function; interactions, some
executive-to-executive.
"""

import datetime
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from keyplan.sales.choices import STAGE_PROBABILITY, STAGE_STATUS, Stage
from keyplan.territory.vocabulary import (
    CATALOGUE,
    COUNTRIES,
    FIRST_NAMES,
    FUNCTIONS,
    INDUSTRIES,
    LAST_NAMES,
    NAME_PARTS,
    REGION_NAMES,
    UNIT_NAMES,
)

CENT = Decimal("0.01")
SEASON = (0.8, 0.85, 1.0, 0.9, 0.95, 1.05, 0.85, 0.8, 1.05, 1.1, 1.2, 1.45)
STAGES = list(Stage)
STAGE_WEIGHTS = (14, 12, 10, 8, 36, 20)  # prospecting .. closed lost
KINDS = ("meeting", "call", "email", "event")
KIND_WEIGHTS = (35, 30, 25, 10)
LEVELS = ("legal_entity", "business_unit", "division", "budget_centre")


@dataclass
class Spec:
    seed: int = 42
    accounts: int = 300
    end: datetime.date = datetime.date(2026, 10, 1)  # first day of the last month of sales
    months: int = 36


@dataclass
class Counts:
    users: int = 0
    accounts: int = 0
    contacts: int = 0
    products: int = 0
    sale_lines: int = 0
    opportunities: int = 0
    interactions: int = 0
    team_members: int = 0


# -- records handed to writers (numbers are 1-based positions, not database ids) -------
@dataclass
class UserRec:
    n: int
    username: str
    first_name: str
    last_name: str
    role: str
    title: str
    team: str | None
    manager: int | None  # user number
    weekly_hours: int

    @property
    def email(self) -> str:
        return f"{self.username}@keyplan.example"


@dataclass
class ProductRec:
    n: int
    line: str
    core: bool
    name: str
    list_price: Decimal

    @property
    def external_id(self) -> str:
        return f"PRD-{self.n:04d}"


@dataclass
class AccountRec:
    n: int
    name: str
    level: str
    parent: int | None
    industry: str
    country: str
    region: str
    employees: int
    annual_revenue: Decimal
    website: str
    owner: int  # user number
    depth: int = 0

    @property
    def external_id(self) -> str:
        return f"ACC-{self.n:07d}"


@dataclass
class ContactRec:
    n: int
    account: int
    first_name: str
    last_name: str
    title: str
    function: str
    seniority: str
    reports_to: int | None
    email: str
    phone: str
    is_active: bool
    decision_role: str
    attitude: str
    strength: str
    relationship_owner: int | None

    @property
    def external_id(self) -> str:
        return f"CON-{self.n:08d}"


@dataclass
class InteractionRec:
    n: int
    account: int
    date: datetime.date
    kind: str
    contacts: list[int]
    user: int
    executive: bool
    subject: str

    @property
    def external_id(self) -> str:
        return f"INT-{self.n:08d}"


@dataclass
class OpportunityRec:
    n: int
    account: int
    product: int
    name: str
    stage: str
    status: str
    amount: Decimal
    probability: int
    created_date: datetime.date
    close_date: datetime.date
    owner: int

    @property
    def external_id(self) -> str:
        return f"OPP-{self.n:08d}"


@dataclass
class SaleRec:
    n: int
    account: int
    product: int
    date: datetime.date
    amount: Decimal
    quantity: Decimal
    opportunity: int | None = None

    @property
    def external_id(self) -> str:
        return f"SL-{self.n:09d}"


@dataclass
class TeamMemberRec:
    account: int
    user: int
    role: str


@dataclass
class _State:
    counts: Counts = field(default_factory=Counts)
    contact_n: int = 0
    interaction_n: int = 0
    opportunity_n: int = 0
    sale_n: int = 0


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


class Generator:
    def __init__(self, spec: Spec, writer):
        self.spec = spec
        self.writer = writer
        self.r = random.Random(spec.seed)
        self.state = _State()
        self.first_month = _add_months(spec.end, -(spec.months - 1))
        self.last_day = _add_months(spec.end, 1) - datetime.timedelta(days=1)

    # -- people --------------------------------------------------------------------------
    def _users(self) -> None:
        n_reps = max(6, round(self.spec.accounts / 200))
        n_managers = max(2, math.ceil(n_reps / 6))
        users: list[UserRec] = []

        def add(username, role, title, team=None, manager=None, hours=20):
            first, last = self.r.choice(FIRST_NAMES), self.r.choice(LAST_NAMES)
            users.append(
                UserRec(len(users) + 1, username, first, last, role, title, team, manager, hours)
            )
            return len(users)

        add("admin", "admin", "System administrator", hours=0)
        add("ops", "sales_ops", "Sales operations lead", hours=10)
        exec1 = add("exec", "executive", "Chief Revenue Officer", hours=6)
        add("exec2", "executive", "VP Sales", hours=8, manager=exec1)
        managers = []
        for i in range(n_managers):
            name = "manager" if i == 0 else f"manager{i + 1}"
            segment = "Enterprise" if i % 2 == 0 else "Commercial"
            team = f"{REGION_NAMES[i % len(REGION_NAMES)]} {segment}"
            if i >= len(REGION_NAMES):
                team += f" {i // len(REGION_NAMES) + 1}"
            managers.append((add(name, "manager", "Sales manager", team, exec1, 12), team))
        self.reps = []
        for i in range(n_reps):
            manager, team = managers[i % n_managers]
            name = "rep" if i == 0 else f"rep{i + 1}"
            self.reps.append(add(name, "rep", "Account executive", team, manager, 24))
        self.execs = [exec1, exec1 + 1]
        self.users = users
        self.writer.users(users)
        self.state.counts.users = len(users)

    # -- catalogue -----------------------------------------------------------------------
    def _catalogue(self) -> None:
        products = []
        self.line_products: dict[str, list[ProductRec]] = {}
        for line, (core, items, _aff) in CATALOGUE.items():
            for name, price in items:
                rec = ProductRec(len(products) + 1, line, core, name, Decimal(price))
                products.append(rec)
                self.line_products.setdefault(line, []).append(rec)
        self.products = products
        self.writer.products(products)
        self.state.counts.products = len(products)

    def _lines_bought(self, weight: float) -> list[str]:
        """Product lines an account buys: an anchor, then neighbours by affinity."""
        r = self.r
        lines = list(CATALOGUE)
        anchor = r.choices(lines, weights=(30, 22, 20, 16, 8, 4))[0]
        bought = [anchor]
        extra = min(1.0, 0.15 + math.log1p(weight) / 6)
        for line in lines:
            if line in bought:
                continue
            p = max((CATALOGUE[b][2].get(line, 0.0) for b in bought), default=0.0) * extra
            if r.random() < p or r.random() < 0.04 * extra:
                bought.append(line)
        return bought

    # -- accounts ------------------------------------------------------------------------
    def _company(self, industry: str) -> str:
        suffixes = INDUSTRIES[industry][0]
        return f"{self.r.choice(NAME_PARTS)} {self.r.choice(NAME_PARTS)} {self.r.choice(suffixes)}"

    def run(self) -> Counts:
        self.writer.begin()
        self._users()
        self._catalogue()
        n = 0
        countries = [c for c in COUNTRIES]
        country_weights = [c[2] for c in COUNTRIES]
        total = self.spec.accounts
        while n < total:
            r = self.r
            industry = r.choice(list(INDUSTRIES))
            country, region, _w = r.choices(countries, weights=country_weights)[0]
            owner = r.choice(self.reps)
            weight = r.paretovariate(1.1)
            employees = max(20, int(r.lognormvariate(7.2, 1.4)))
            if weight > 4:
                employees *= 3
            name = self._company(industry)
            is_group = r.random() < 0.15 and total - n > 4
            top = AccountRec(
                n + 1,
                name,
                LEVELS[0],
                None,
                industry,
                country,
                region,
                employees,
                self._revenue(industry, employees),
                f"https://www.{name.split()[0].lower()}{name.split()[1].lower()}.example",
                owner,
            )
            n += 1
            family = [(top, weight)]
            if is_group:
                n = self._children(top, weight, n, total, family)
            self.writer.accounts([a for a, _ in family])
            self.state.counts.accounts += len(family)
            for account, w in family:
                self._account_facts(account, w)
        self.writer.finish()
        return self.state.counts

    def _revenue(self, industry: str, employees: int) -> Decimal:
        per_employee = INDUSTRIES[industry][1] * 1000 * self.r.uniform(0.7, 1.3)
        return Decimal(int(employees * per_employee)).quantize(CENT)

    def _children(self, top: AccountRec, weight: float, n: int, total: int, family) -> int:
        r = self.r

        def child(parent: AccountRec, depth: int, label: str) -> AccountRec | None:
            nonlocal n
            if n >= total:
                return None
            employees = max(10, int(parent.employees * r.uniform(0.1, 0.4)))
            rec = AccountRec(
                n + 1,
                f"{top.name} {label}",
                LEVELS[depth],
                parent.n,
                top.industry,
                top.country if r.random() < 0.7 else r.choice(COUNTRIES)[0],
                top.region,
                employees,
                self._revenue(top.industry, employees),
                top.website,
                parent.owner if r.random() < 0.85 else r.choice(self.reps),
                depth,
            )
            n += 1
            family.append((rec, weight * r.uniform(0.1, 0.6)))
            return rec

        for unit in r.sample(UNIT_NAMES, r.randint(2, 4)):
            bu = child(top, 1, unit)
            if bu is None:
                break
            for d in range(r.randint(0, 3)):
                division = child(bu, 2, f"{unit} {REGION_NAMES[d % len(REGION_NAMES)]}")
                if division is None:
                    break
                for b in range(r.randint(0, 2)):
                    if child(division, 3, f"{unit} {REGION_NAMES[d]} BC{b + 1}") is None:
                        break
        return n

    def _account_facts(self, account: AccountRec, weight: float) -> None:
        self._team(account, weight)
        contacts = self._contacts(account, weight)
        self._interactions(account, weight, contacts)
        bought = (
            self._lines_bought(weight)
            if account.level != "budget_centre" or self.r.random() < 0.5
            else []
        )
        won = self._opportunities(account, weight, bought)
        self._sales(account, weight, bought, won)

    def _team(self, account: AccountRec, weight: float) -> None:
        r = self.r
        members = [TeamMemberRec(account.n, account.owner, "account_manager")]
        if account.depth == 0 and weight > 3:
            members.append(TeamMemberRec(account.n, r.choice(self.execs), "executive_sponsor"))
            se = r.choice(self.reps)
            if se != account.owner:
                members.append(TeamMemberRec(account.n, se, "solution_engineer"))
        if weight > 8 and account.depth == 0:
            cs = r.choice(self.reps)
            if cs != account.owner:
                members.append(TeamMemberRec(account.n, cs, "customer_success"))
        self.writer.team_members(members)
        self.state.counts.team_members += len(members)

    # -- contacts and interactions ----------------------------------------------------
    def _person(
        self,
        account: AccountRec,
        domain: str,
        title: str,
        function: str,
        seniority: str,
        reports_to: int | None,
    ) -> ContactRec:
        r = self.r
        self.state.contact_n += 1
        first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
        strength = r.choices(("none", "weak", "medium", "strong"), weights=(45, 30, 17, 8))[0]
        if seniority in ("c_level", "vp"):
            role = r.choices(("decision_maker", "influencer", "blocker"), weights=(70, 22, 8))[0]
        elif seniority == "director":
            role = r.choices(
                ("influencer", "champion", "decision_maker", "blocker"), weights=(45, 30, 15, 10)
            )[0]
        elif seniority == "manager":
            role = r.choices(("coach", "influencer", "user", "champion"), weights=(30, 30, 30, 10))[
                0
            ]
        else:
            role = r.choices(("user", "coach", ""), weights=(70, 10, 20))[0]
        owner = None
        if strength != "none":
            owner = (
                account.owner
                if seniority != "c_level" or r.random() < 0.6
                else r.choice(self.execs)
            )
        return ContactRec(
            self.state.contact_n,
            account.n,
            first,
            last,
            title,
            function,
            seniority,
            reports_to,
            f"{first.lower()}.{last.lower()}.{self.state.contact_n}@{domain}",
            f"+1 555 {r.randint(100, 999)} {r.randint(1000, 9999)}",
            r.random() > 0.05,
            role,
            r.choices(("supporter", "neutral", "detractor", ""), weights=(28, 45, 12, 15))[0],
            strength,
            owner,
        )

    def _contacts(self, account: AccountRec, weight: float) -> list[ContactRec]:
        r = self.r
        domain = account.website.split("www.", 1)[-1]
        contacts: list[ContactRec] = []
        budget = 2 + min(26, int(math.log1p(weight) * 5 + account.employees**0.25 / 2))
        if account.depth > 0:
            budget = max(1, budget // 3)
        head = None
        if account.depth == 0:
            head = self._person(
                account, domain, "Chief Executive Officer", "Executive", "c_level", None
            )
            contacts.append(head)
        functions = r.sample(list(FUNCTIONS), min(len(FUNCTIONS), max(1, budget // 3)))
        for function in functions:
            c_title, vp_title, dir_title, mgr_title, ics = FUNCTIONS[function]
            chain = []
            if account.depth == 0:
                chain.append((c_title, "c_level"))
            if r.random() < 0.5 or account.depth > 0:
                chain.append((vp_title, "vp"))
            chain += [(dir_title, "director"), (mgr_title, "manager")]
            boss = head.n if head else None
            for title, seniority in chain:
                if len(contacts) >= budget:
                    break
                person = self._person(account, domain, title, function, seniority, boss)
                contacts.append(person)
                boss = person.n
            for _ in range(r.randint(0, 2)):
                if len(contacts) >= budget:
                    break
                contacts.append(
                    self._person(account, domain, r.choice(ics), function, "individual", boss)
                )
        self.writer.contacts(contacts)
        self.state.counts.contacts += len(contacts)
        return contacts

    def _interactions(self, account: AccountRec, weight: float, contacts) -> None:
        r = self.r
        active = [c for c in contacts if c.is_active]
        if not active:
            return
        count = min(24, int(math.log1p(weight) * 4) + r.randint(0, 3))
        records = []
        for _ in range(count):
            self.state.interaction_n += 1
            people = r.sample(active, min(len(active), r.choice((1, 1, 1, 2, 3))))
            senior = any(p.seniority == "c_level" for p in people)
            executive = senior and r.random() < 0.4
            day = self.last_day - datetime.timedelta(days=r.randint(0, 540))
            kind = r.choices(KINDS, weights=KIND_WEIGHTS)[0]
            records.append(
                InteractionRec(
                    self.state.interaction_n,
                    account.n,
                    day,
                    kind,
                    sorted(p.n for p in people),
                    r.choice(self.execs) if executive else account.owner,
                    executive,
                    r.choice(
                        (
                            "Quarterly business review",
                            "Renewal discussion",
                            "Product demo",
                            "Roadmap briefing",
                            "Support escalation",
                            "Executive dinner",
                            "Workshop",
                            "Introduction",
                        )
                    ),
                )
            )
        self.writer.interactions(records)
        self.state.counts.interactions += len(records)

    # -- pipeline and sales --------------------------------------------------------------
    def _opportunities(self, account: AccountRec, weight: float, bought) -> list:
        r = self.r
        count = min(12, int(math.log1p(weight) * 2.2) + r.choice((0, 0, 1, 1, 2)))
        records, won = [], []
        for _ in range(count):
            self.state.opportunity_n += 1
            stage = r.choices(STAGES, weights=STAGE_WEIGHTS)[0]
            status = STAGE_STATUS[stage]
            lines = bought if bought and r.random() < 0.6 else list(CATALOGUE)
            product = r.choice(self.line_products[r.choice(lines)])
            quantity = r.choice((1, 1, 2, 3, 5, 10))
            amount = (product.list_price * quantity * Decimal(r.uniform(0.7, 1.0))).quantize(CENT)
            if status == "open":
                close = self.last_day + datetime.timedelta(days=r.randint(5, 270))
                created = self.last_day - datetime.timedelta(days=r.randint(5, 200))
            else:
                close = self.last_day - datetime.timedelta(days=r.randint(0, 700))
                created = close - datetime.timedelta(days=r.randint(20, 240))
            rec = OpportunityRec(
                self.state.opportunity_n,
                account.n,
                product.n,
                f"{account.name.split()[0]} {product.name} {close.year}",
                stage,
                status,
                amount,
                STAGE_PROBABILITY[stage],
                created,
                close,
                account.owner,
            )
            records.append(rec)
            if status == "won" and close >= self.first_month:
                won.append(rec)
        self.writer.opportunities(records)
        self.state.counts.opportunities += len(records)
        return won

    def _sales(self, account: AccountRec, weight: float, bought, won) -> None:
        r = self.r
        sales: list[SaleRec] = []
        if bought:
            annual = Decimal(weight) * Decimal(20000) * Decimal(r.uniform(0.6, 1.4))
            products = [
                p for line in bought for p in self.line_products[line] if r.random() < 0.7
            ] or [self.line_products[bought[0]][0]]
            frequency = min(1.0, 0.75 + math.log1p(weight) / 4)
            trend = r.uniform(-0.12, 0.3)
            shares = [r.random() + 0.2 for _ in products]
            total_share = sum(shares)
            for m in range(self.spec.months):
                month = _add_months(self.first_month, m)
                growth = (1 + trend) ** ((m - self.spec.months) / 12)
                for product, share in zip(products, shares, strict=True):
                    if r.random() > frequency:
                        continue
                    expected = annual * Decimal(share / total_share) / Decimal(12 * frequency)
                    value = expected * Decimal(
                        SEASON[month.month - 1] * growth * r.uniform(0.6, 1.4)
                    )
                    quantity = max(1, int(value / product.list_price)) if product.list_price else 1
                    self.state.sale_n += 1
                    day = month + datetime.timedelta(days=r.randint(0, 27))
                    sales.append(
                        SaleRec(
                            self.state.sale_n,
                            account.n,
                            product.n,
                            day,
                            value.quantize(CENT),
                            Decimal(quantity),
                        )
                    )
        for opp in won:
            # A won deal is invoiced: its sale line points at it (never counted twice).
            self.state.sale_n += 1
            sales.append(
                SaleRec(
                    self.state.sale_n,
                    account.n,
                    opp.product,
                    min(opp.close_date, self.last_day),
                    opp.amount,
                    Decimal(1),
                    opportunity=opp.n,
                )
            )
        if sales:
            self.writer.sale_lines(sales)
            self.state.counts.sale_lines += len(sales)


def generate(spec: Spec, writer) -> Counts:
    return Generator(spec, writer).run()
