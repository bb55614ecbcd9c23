"""A generated territory written straight into the database.

Rows go in with explicit primary keys (numbered past what the tables already hold), so
records can point at each other while streaming, in batches through the database's
fastest bulk insert (COPY on PostgreSQL). The whole territory is one transaction: a
failed or interrupted run leaves the database as it was (``make demo`` then simply
generates again), never half a territory without its lineage or roll-up. On PostgreSQL
foreign keys are checked per batch (``SET CONSTRAINTS ALL IMMEDIATE``), so the server
does not queue a check for every one of ten million rows until the commit.
"""

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from keyplan.accounts.models import Account, AccountTeamMember, Contact, Interaction
from keyplan.accounts.services import lineage_rebuild
from keyplan.catalog.models import Product, ProductLine
from keyplan.core.bulk import analyze, bulk_insert, reset_sequences
from keyplan.people.models import Team, User
from keyplan.sales.models import Opportunity, OpportunityStageChange, SaleLine
from keyplan.sales.rollup import rollup_refresh
from keyplan.territory.generator.starting import starting_tiers
from keyplan.territory.generator.writer import Writer

DEMO_PASSWORD = "demo"
BATCH = 5000

# Tables in the order they are written (every row refers only to rows written before).
_TABLES = {
    "accounts": (
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
    ),
    "team_members": (AccountTeamMember._meta.db_table, ("account_id", "user_id", "role")),
    "contacts": (
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
    ),
    "interactions": (
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
    ),
    "interaction_contacts": (
        Interaction.contacts.through._meta.db_table,
        ("interaction_id", "contact_id"),
    ),
    "interaction_participants": (
        Interaction.participants.through._meta.db_table,
        ("interaction_id", "user_id"),
    ),
    "opportunities": (
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
    ),
    "stage_changes": (
        OpportunityStageChange._meta.db_table,
        (
            "opportunity_id",
            "from_stage",
            "to_stage",
            "probability",
            "changed_at",
            "changed_by_id",
            "source",
        ),
    ),
    "sale_lines": (
        SaleLine._meta.db_table,
        ("id", "account_id", "product_id", "date", "amount", "quantity", "external_id"),
    ),
}


def _last_pk(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


class DatabaseWriter(Writer):
    def __init__(self, *, batch: int = BATCH):
        self.batch = batch
        self.pending: dict[str, list[tuple]] = {key: [] for key in _TABLES}
        self.pending_rows = 0
        self.now = timezone.now()
        # Sale lines (most of the rows) are queued already in SQLite's text form.
        self.sqlite = connection.vendor == "sqlite"
        self.ready = {"sale_lines"} if self.sqlite else set()

    def begin(self):
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        self.account_base = _last_pk(Account)
        self.contact_base = _last_pk(Contact)
        self.interaction_base = _last_pk(Interaction)
        self.opportunity_base = _last_pk(Opportunity)
        self.sale_base = _last_pk(SaleLine)

    def _queue(self, key: str, rows: list[tuple]) -> None:
        self.pending[key].extend(rows)
        self.pending_rows += len(rows)
        if self.pending_rows >= self.batch:
            self._flush()

    def _flush(self) -> None:
        for key, rows in self.pending.items():
            if rows:
                table, columns = _TABLES[key]
                bulk_insert(table, columns, rows, sqlite_ready=key in self.ready)
                self.pending[key] = []
        self.pending_rows = 0

    # -- the sales organisation and the catalogue: few rows, through the ORM ------------
    def users(self, users):
        """Creates the users the organisation needs with the demo password. A user who
        already exists (a real admin, or the demo users of a flushed territory) keeps
        their password and name; only their place in the organisation is set."""
        password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
        teams = {
            name: Team.objects.get_or_create(name=name)[0]
            for name in dict.fromkeys(u.team for u in users if u.team)
        }
        existing = {
            u.username: u for u in User.objects.filter(username__in=[u.username for u in users])
        }
        self.user_ids = {}
        self.kept_users = 0
        for u in users:
            user = existing.get(u.username)
            if user is None:
                user = User(
                    username=u.username,
                    first_name=u.first_name,
                    last_name=u.last_name,
                    email=u.email,
                    password=password,
                )
            else:
                self.kept_users += 1
            user.role = u.role
            user.title = u.title
            user.weekly_hours = u.weekly_hours
            user.team = teams.get(u.team)
            user.is_staff = user.is_superuser = u.role == "admin"
            user.is_active = True
            user.save()
            self.user_ids[u.n] = user.pk
        for u in users:
            User.objects.filter(pk=self.user_ids[u.n]).update(
                manager_id=self.user_ids[u.manager] if u.manager else None
            )
            if u.role == "manager" and u.team:
                Team.objects.filter(pk=teams[u.team].pk).update(manager_id=self.user_ids[u.n])

    def products(self, products):
        lines = {}
        self.product_ids = {}
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

    # -- the territory: many rows, in batches ------------------------------------------
    def accounts(self, accounts):
        base, users, now = self.account_base, self.user_ids, self.now
        self._queue(
            "accounts",
            [
                (
                    base + a.n,
                    a.name,
                    a.external_id,
                    a.kind,
                    base + a.parent if a.parent else None,
                    a.depth,
                    a.industry,
                    a.country,
                    a.region,
                    a.employees,
                    a.annual_revenue,
                    a.website,
                    users[a.owner],
                    now,
                    now,
                )
                for a in accounts
            ],
        )

    def team_members(self, members):
        base, users = self.account_base, self.user_ids
        self._queue("team_members", [(base + m.account, users[m.user], m.role) for m in members])

    def contacts(self, contacts):
        base, cbase, users, now = self.account_base, self.contact_base, self.user_ids, self.now
        self._queue(
            "contacts",
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
                    now,
                    now,
                )
                for c in contacts
            ],
        )

    def interactions(self, interactions):
        base, ibase, cbase = self.account_base, self.interaction_base, self.contact_base
        self._queue(
            "interactions",
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
        self._queue(
            "interaction_contacts",
            [(ibase + i.n, cbase + c) for i in interactions for c in i.contacts],
        )
        self._queue(
            "interaction_participants",
            [(ibase + i.n, self.user_ids[i.user]) for i in interactions],
        )

    def opportunities(self, opportunities):
        base, obase, products, users = (
            self.account_base,
            self.opportunity_base,
            self.product_ids,
            self.user_ids,
        )
        self._queue(
            "opportunities",
            [
                (
                    obase + o.n,
                    base + o.account,
                    products[o.product],
                    o.name,
                    o.stage,
                    o.status,
                    o.amount,
                    o.probability,
                    o.created_date,
                    o.close_date,
                    users[o.owner],
                    o.external_id,
                    self.now,
                )
                for o in opportunities
            ],
        )
        self._queue(
            "stage_changes",
            [
                (obase + o.n, h.from_stage, h.to_stage, h.probability, h.at, users[o.owner], "")
                for o in opportunities
                for h in o.history
            ],
        )

    def sale_lines(self, lines):
        base, sbase, products = self.account_base, self.sale_base, self.product_ids
        if self.sqlite:
            rows = [
                (
                    sbase + s.n,
                    base + s.account,
                    products[s.product],
                    s.date.isoformat(),
                    str(s.amount),
                    s.quantity,
                    s.external_id,
                )
                for s in lines
            ]
        else:
            rows = [
                (
                    sbase + s.n,
                    base + s.account,
                    products[s.product],
                    s.date,
                    s.amount,
                    s.quantity,
                    s.external_id,
                )
                for s in lines
            ]
        self._queue("sale_lines", rows)

    # -- the end: what follows from the facts ------------------------------------------
    def finish(self):
        try:
            self._flush()
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
            lineage_rebuild()  # the closure table that visibility reads
            # Fresh planner statistics for the tables just filled, so the roll-up and the
            # tiers that follow get good plans (autovacuum would gather them only after
            # the commit).
            analyze(Account, Contact, Opportunity, OpportunityStageChange, SaleLine)
            rollup_refresh()  # the sales roll-up that analyses read
            starting_tiers()
        except BaseException:
            self.abort()
            raise
        self.atomic.__exit__(None, None, None)

    def abort(self):
        import sys

        self.atomic.__exit__(*sys.exc_info())
