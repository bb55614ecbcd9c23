"""Where a generated territory goes: the database, or CSV files in the canonical import
format (one file per kind, the columns of ``keyplan import``)."""

import csv
from pathlib import Path

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from keyplan.accounts.models import Account, AccountTeamMember, Contact, Interaction
from keyplan.accounts.services import lineage_rebuild
from keyplan.catalog.models import Product, ProductLine
from keyplan.core.bulk import bulk_insert, reset_sequences
from keyplan.people.models import Team, User
from keyplan.sales.models import Opportunity, SaleLine
from keyplan.sales.rollup import rollup_refresh

CSV_COLUMNS = {
    "users": ("username", "email", "name", "role", "manager", "team"),
    "accounts": (
        "external_id",
        "name",
        "parent",
        "industry",
        "country",
        "employees",
        "annual_revenue",
        "owner",
        "website",
    ),
    "contacts": (
        "external_id",
        "account",
        "first_name",
        "last_name",
        "title",
        "function",
        "seniority",
        "email",
        "phone",
        "reports_to",
    ),
    "products": ("external_id", "name", "product_line", "list_price", "core"),
    "sales": ("external_id", "account", "product", "date", "amount", "quantity", "opportunity"),
    "opportunities": (
        "external_id",
        "name",
        "account",
        "product",
        "stage",
        "amount",
        "probability",
        "created_date",
        "close_date",
        "owner",
    ),
    "interactions": ("external_id", "date", "kind", "contacts", "user", "executive", "notes"),
}


class CsvWriter:
    def __init__(self, folder):
        self.folder = Path(folder)

    def begin(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.files, self.out = {}, {}
        for kind, columns in CSV_COLUMNS.items():
            fh = open(self.folder / f"{kind}.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
            self.files[kind] = fh
            self.out[kind] = csv.writer(fh, lineterminator="\n")
            self.out[kind].writerow(columns)

    def users(self, users):
        self.usernames = {u.n: u.username for u in users}
        for u in users:
            self.out["users"].writerow(
                [
                    u.username,
                    u.email,
                    f"{u.first_name} {u.last_name}",
                    u.role,
                    self.usernames.get(u.manager, ""),
                    u.team or "",
                ]
            )

    def products(self, products):
        self.product_ids = {p.n: p.external_id for p in products}
        for p in products:
            self.out["products"].writerow(
                [p.external_id, p.name, p.line, p.list_price, "true" if p.core else "false"]
            )

    def accounts(self, accounts):
        for a in accounts:
            self.out["accounts"].writerow(
                [
                    a.external_id,
                    a.name,
                    f"ACC-{a.parent:07d}" if a.parent else "",
                    a.industry,
                    a.country,
                    a.employees,
                    a.annual_revenue,
                    self.usernames[a.owner],
                    a.website,
                ]
            )

    def team_members(self, members):
        pass  # account teams are not an import kind

    def contacts(self, contacts):
        for c in contacts:
            self.out["contacts"].writerow(
                [
                    c.external_id,
                    f"ACC-{c.account:07d}",
                    c.first_name,
                    c.last_name,
                    c.title,
                    c.function,
                    c.seniority,
                    c.email,
                    c.phone,
                    f"CON-{c.reports_to:08d}" if c.reports_to else "",
                ]
            )

    def interactions(self, interactions):
        for i in interactions:
            self.out["interactions"].writerow(
                [
                    i.external_id,
                    i.date.isoformat(),
                    i.kind,
                    ";".join(f"CON-{n:08d}" for n in i.contacts),
                    self.usernames[i.user],
                    "true" if i.executive else "false",
                    i.subject,
                ]
            )

    def opportunities(self, opportunities):
        for o in opportunities:
            self.out["opportunities"].writerow(
                [
                    o.external_id,
                    o.name,
                    f"ACC-{o.account:07d}",
                    self.product_ids[o.product],
                    o.stage,
                    o.amount,
                    o.probability,
                    o.created_date.isoformat(),
                    o.close_date.isoformat(),
                    self.usernames[o.owner],
                ]
            )

    def sale_lines(self, lines):
        write = self.out["sales"].writerow
        for s in lines:
            write(
                [
                    s.external_id,
                    f"ACC-{s.account:07d}",
                    self.product_ids[s.product],
                    s.date.isoformat(),
                    s.amount,
                    s.quantity,
                ]
            )

    def finish(self):
        for fh in self.files.values():
            fh.close()


class DatabaseWriter:
    """Writes with explicit primary keys (offset past what the tables hold), so records
    can point at each other while streaming; sequences are reset at the end."""

    SALE_BATCH = 20000

    def __init__(self):
        self.sales_buffer = []
        self.now = timezone.now()

    def _base(self, model) -> int:
        return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def begin(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        self.account_base = self._base(Account)
        self.contact_base = self._base(Contact)
        self.interaction_base = self._base(Interaction)
        self.opportunity_base = self._base(Opportunity)
        self.sale_base = self._base(SaleLine)

    def users(self, users):
        password = make_password("demo")
        teams = {}
        for u in users:
            if u.team and u.team not in teams:
                teams[u.team] = Team.objects.get_or_create(name=u.team)[0]
        self.user_ids = {}
        for u in users:
            obj, _ = User.objects.update_or_create(
                username=u.username,
                defaults=dict(
                    first_name=u.first_name,
                    last_name=u.last_name,
                    email=u.email,
                    role=u.role,
                    title=u.title,
                    weekly_hours=u.weekly_hours,
                    team=teams.get(u.team),
                    is_staff=u.role == "admin",
                    is_superuser=u.role == "admin",
                    password=password,
                ),
            )
            self.user_ids[u.n] = obj.pk
        for u in users:
            if u.manager:
                User.objects.filter(pk=self.user_ids[u.n]).update(
                    manager_id=self.user_ids[u.manager]
                )
                if u.role == "manager" and u.team:
                    teams[u.team].manager_id = self.user_ids[u.n]
                    teams[u.team].save(update_fields=["manager"])

    def products(self, products):
        self.product_ids = {}
        lines = {}
        for p in products:
            if p.line not in lines:
                lines[p.line] = ProductLine.objects.update_or_create(
                    name=p.line, defaults={"is_core": p.core}
                )[0]
            obj, _ = Product.objects.update_or_create(
                external_id=p.external_id,
                defaults={
                    "name": p.name,
                    "product_line": lines[p.line],
                    "list_price": p.list_price,
                },
            )
            self.product_ids[p.n] = obj.pk

    def accounts(self, accounts):
        base, users = self.account_base, self.user_ids
        bulk_insert(
            Account._meta.db_table,
            (
                "id",
                "name",
                "external_id",
                "kind",
                "parent_id",
                "depth",
                "industry",
                "country",
                "region",
                "employees",
                "annual_revenue",
                "website",
                "owner_id",
                "created_at",
                "updated_at",
            ),
            [
                (
                    base + a.n,
                    a.name,
                    a.external_id,
                    a.level,
                    base + a.parent if a.parent else None,
                    a.depth,
                    a.industry,
                    a.country,
                    a.region,
                    a.employees,
                    a.annual_revenue,
                    a.website,
                    users[a.owner],
                    self.now,
                    self.now,
                )
                for a in accounts
            ],
        )

    def team_members(self, members):
        base, users = self.account_base, self.user_ids
        bulk_insert(
            AccountTeamMember._meta.db_table,
            ("account_id", "user_id", "role"),
            [(base + m.account, users[m.user], m.role) for m in members],
        )

    def contacts(self, contacts):
        base, cbase, users = self.account_base, self.contact_base, self.user_ids
        bulk_insert(
            Contact._meta.db_table,
            (
                "id",
                "account_id",
                "external_id",
                "first_name",
                "last_name",
                "title",
                "function",
                "seniority",
                "reports_to_id",
                "email",
                "phone",
                "is_active",
                "decision_role",
                "attitude",
                "relationship_strength",
                "relationship_owner_id",
                "created_at",
                "updated_at",
            ),
            [
                (
                    cbase + c.n,
                    base + c.account,
                    c.external_id,
                    c.first_name,
                    c.last_name,
                    c.title,
                    c.function,
                    c.seniority,
                    cbase + c.reports_to if c.reports_to else None,
                    c.email,
                    c.phone,
                    c.is_active,
                    c.decision_role,
                    c.attitude,
                    c.strength,
                    users[c.relationship_owner] if c.relationship_owner else None,
                    self.now,
                    self.now,
                )
                for c in contacts
            ],
        )

    def interactions(self, interactions):
        base, ibase, cbase = self.account_base, self.interaction_base, self.contact_base
        bulk_insert(
            Interaction._meta.db_table,
            (
                "id",
                "account_id",
                "external_id",
                "kind",
                "date",
                "subject",
                "notes",
                "is_executive",
                "created_at",
            ),
            [
                (
                    ibase + i.n,
                    base + i.account,
                    i.external_id,
                    i.kind,
                    i.date,
                    i.subject,
                    "",
                    i.executive,
                    self.now,
                )
                for i in interactions
            ],
        )
        bulk_insert(
            Interaction.contacts.through._meta.db_table,
            ("interaction_id", "contact_id"),
            [(ibase + i.n, cbase + c) for i in interactions for c in i.contacts],
        )
        bulk_insert(
            Interaction.participants.through._meta.db_table,
            ("interaction_id", "user_id"),
            [(ibase + i.n, self.user_ids[i.user]) for i in interactions],
        )

    def opportunities(self, opportunities):
        base, obase = self.account_base, self.opportunity_base
        bulk_insert(
            Opportunity._meta.db_table,
            (
                "id",
                "account_id",
                "product_id",
                "name",
                "stage",
                "status",
                "amount",
                "probability",
                "created_date",
                "close_date",
                "owner_id",
                "external_id",
                "updated_at",
            ),
            [
                (
                    obase + o.n,
                    base + o.account,
                    self.product_ids[o.product],
                    o.name,
                    o.stage,
                    o.status,
                    o.amount,
                    o.probability,
                    o.created_date,
                    o.close_date,
                    self.user_ids[o.owner],
                    o.external_id,
                    self.now,
                )
                for o in opportunities
            ],
        )

    def sale_lines(self, lines):
        base, sbase, obase = self.account_base, self.sale_base, self.opportunity_base
        products = self.product_ids
        self.sales_buffer.extend(
            (
                sbase + s.n,
                base + s.account,
                products[s.product],
                s.date,
                s.amount,
                s.quantity,
                s.external_id,
                obase + s.opportunity if s.opportunity else None,
            )
            for s in lines
        )
        if len(self.sales_buffer) >= self.SALE_BATCH:
            self._flush_sales()

    def _flush_sales(self):
        bulk_insert(
            SaleLine._meta.db_table,
            (
                "id",
                "account_id",
                "product_id",
                "date",
                "amount",
                "quantity",
                "external_id",
                "opportunity_id",
            ),
            self.sales_buffer,
        )
        self.sales_buffer = []

    def _starting_tiers(self):
        """A first ideal customer profile, scored and accepted by sales ops, so the demo
        opens with tiers (sales ops change the profile on the ICP page)."""
        from keyplan.territory.models import AccountTier, IcpVersion, StakeholderRole
        from keyplan.territory.services import icp_save, proposals_decide, tiers_recompute

        ops = User.objects.filter(role="sales_ops").order_by("pk").first()
        if not StakeholderRole.objects.exists():
            self._starting_roles()
        if IcpVersion.objects.exists():
            # A regenerated territory (--flush) keeps the profile sales ops made; its
            # accounts still get tiers.
            if not AccountTier.objects.exists():
                run = tiers_recompute(user=ops)
                proposals_decide(user=ops, proposals=run.proposals.all(), accept=True)
            return
        icp_save(
            user=ops,
            note="Starting profile",
            criteria=[
                {
                    "kind": "industry_in",
                    "values": ["Technology", "Financial Services", "Energy"],
                    "weight": 25,
                    "label": "Technology, financial services or energy",
                },
                {
                    "kind": "employees_between",
                    "values": [2000, None],
                    "weight": 25,
                    "label": "2,000 employees or more",
                },
                {
                    "kind": "owns_line",
                    "values": ["Analytics", "Data Platform"],
                    "weight": 30,
                    "label": "Buys Analytics or Data Platform",
                },
                {
                    "kind": "open_opportunity",
                    "values": [],
                    "weight": 20,
                    "label": "Has an open opportunity",
                },
            ],
        )
        run = tiers_recompute(user=ops)
        proposals_decide(user=ops, proposals=run.proposals.all(), accept=True)

    def _starting_roles(self):
        """Key stakeholder roles per product line, for the audience analysis."""
        from keyplan.territory.models import StakeholderRole

        roles = {
            "Analytics": [
                ("CIO", "Chief Information Officer, CIO"),
                ("Head of analytics", "IT Director, Enterprise Architect"),
                ("CFO", "Chief Financial Officer, CFO"),
            ],
            "Data Platform": [
                ("CIO", "Chief Information Officer, CIO"),
                ("Architect", "Enterprise Architect, IT Director"),
            ],
            "Security": [
                ("CISO", "Chief Information Security Officer, CISO"),
                ("Security lead", "Security Director, Security Manager"),
            ],
            "Cloud Infrastructure": [
                ("CIO", "Chief Information Officer, CIO"),
                ("IT operations", "IT Manager, Systems Engineer"),
            ],
            "Professional Services": [("COO", "Chief Operating Officer, COO")],
            "Training": [("HR", "Chief Human Resources Officer, HR Director")],
        }
        lines = {pl.name: pl for pl in ProductLine.objects.all()}
        StakeholderRole.objects.bulk_create(
            [
                StakeholderRole(product_line=lines[line], name=name, title_keywords=keywords)
                for line, items in roles.items()
                if line in lines
                for name, keywords in items
            ]
        )

    def finish(self):
        try:
            self._flush_sales()
            reset_sequences(
                Account,
                Contact,
                Interaction,
                Opportunity,
                SaleLine,
                AccountTeamMember,
                Interaction.contacts.through,
                Interaction.participants.through,
            )
            lineage_rebuild()
            rollup_refresh()
            self._starting_tiers()
        except BaseException:
            self.atomic.__exit__(*__import__("sys").exc_info())
            raise
        self.atomic.__exit__(None, None, None)


def connection_vendor() -> str:
    return connection.vendor
