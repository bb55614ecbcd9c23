"""A Salesforce folder's import, prepared without writing and then written in one short
transaction.

The folder's files point at each other (a contact at its account, a deal at its account
and owner, a line item at its deal and product), so each kind checks its rows against
the files before it. Here the kinds do that against a **plan** instead of the database:
one index of users, accounts, products, contacts and deals for the whole folder, in which
a record the folder creates stands as a ``New`` (its id is known once it is written).
Each kind decides, still only reading, what every row does (create, update, unchanged)
and keeps the writes in the plan (``FolderPlan.ops``, in the order the kinds would have
made them). ``FolderPlan.write`` then makes them, inside the caller's transaction: bulk
inserts and updates with the new records' ids filled in, the links between records of
the same kind, the account hierarchy and one roll-up refresh. Only that part holds the
write lock.

What the plan was decided against may change meanwhile (someone edits an account the
folder updates): ``FolderPlan.check`` compares, inside the write transaction and before
any write, the version of every record the plan updates or leaves unchanged (the fields
it compared, for users and deal products, which have no version) and the sale lines'
fingerprint with what was read. ``Conflict`` says what changed; the caller prepares
again.
"""

import contextlib
from collections import defaultdict
from collections.abc import Callable

from django.db import connection
from django.db.models import ForeignKey

from keyplan.accounts.models import Account, AccountTeamMember, Contact
from keyplan.catalog.models import Product, ProductLine
from keyplan.core.bulk import bulk_insert
from keyplan.imports.kinds.accounts import AccountsKind, account_index
from keyplan.imports.kinds.base import (
    New,
    real,
    record_of,
    resolve_references,
    stored_ids,
)
from keyplan.imports.kinds.contacts import ContactsKind, contact_index
from keyplan.imports.kinds.opportunities import OpportunitiesKind
from keyplan.imports.kinds.opportunity_products import OpportunityProductsKind
from keyplan.imports.kinds.products import ProductsKind, product_index
from keyplan.imports.kinds.sales import SalesKind, opportunity_index, sale_lines_fingerprint
from keyplan.imports.kinds.users import UsersKind, user_index
from keyplan.people.models import Team, User
from keyplan.people.scope import _MAX_CHAIN
from keyplan.sales.models import Opportunity, OpportunityStageChange, SaleLine
from keyplan.sales.rollup import rollup_refresh

_CHUNK = 900


# The tables whose every change adds one to a record's version.
_VERSIONED = (Account, Contact, Opportunity, Product, ProductLine)


def _fingerprint(model) -> tuple[int, int, int]:
    """How many records, the highest id ever given, the sum of their versions: ids are
    never reused and every change adds a version, so any change moves it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), COALESCE(MAX(id), 0), COALESCE(SUM(version), 0) "
            f"FROM {model._meta.db_table}"
        )
        return tuple(int(v) for v in cursor.fetchone())


class Conflict(Exception):
    """A record the plan was decided against changed before the write."""

    def __init__(self, model, pk, name: str):
        super().__init__(f"{model._meta.verbose_name} {pk}")
        self.model, self.pk, self.name = model, pk, name

    def describe(self) -> str:
        label = self.model._meta.verbose_name
        return f"{label} “{self.name}”" if self.name else f"{label} {self.pk}"


class FolderPlan:
    """The folder's indexes, what its writes were decided against, and the writes."""

    def __init__(self):
        # First, before anything is read: the versioned tables as they are now (see
        # ``check``).
        self.fingerprints = {model: _fingerprint(model) for model in _VERSIONED}
        self.users = user_index()
        self.accounts = account_index()
        self.products = product_index()
        self.contacts = contact_index()
        self.opportunities = opportunity_index()
        # Writes, in order; each fills in the ids of records written before it.
        self.ops: list[Callable[[], None]] = []
        # model → pk → {field: value as read}: what each decision was made against.
        self.expected: dict = defaultdict(dict)
        self.sale_lines = None  # the sale lines' fingerprint when the sales step read them
        # Accounts whose roll-up the folder changes; deals whose products it changes.
        self.rollup_accounts: set = set()
        self.rollup_deals: set = set()
        # Records the round trip gives a Salesforce id: (model, id) → the record, so the
        # kinds find (and update) that same record by its id.
        self.learned: dict = {}
        # The users' and accounts' state as planned, for who sees which account.
        self.user_state: dict = {}  # pk or New → User
        self.user_manager: dict = {}  # pk or New → manager (pk, New or None)
        self.account_state: dict = {}
        self.account_parent: dict = {}
        # Records of the database whose link to a record of the same kind changes.
        self.linked: dict = defaultdict(set)
        # The lists of stage snapshots the deals' step inserts (see ``replace_snapshots``).
        self.snapshots: list[list] = []

    # What the plan reads ------------------------------------------------------------

    def expect(self, obj, fields=()) -> None:
        """Remember ``obj`` as read (before the plan changes it): its version, or for a
        model without one the ``fields`` compared."""
        model = type(obj)
        if obj.pk in self.expected[model]:
            return
        names = ["version"] if hasattr(obj, "version") else list(fields)
        self.expected[model][obj.pk] = {n: getattr(obj, n) for n in names}

    def check(self) -> None:
        """Inside the write transaction, before any write: is every record the plan was
        decided against as it was read? Raises ``Conflict`` with the first that is not.
        On PostgreSQL the records it writes are locked until the commit, so they stay
        so."""
        if self.sale_lines is not None:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"LOCK TABLE {SaleLine._meta.db_table} IN SHARE ROW EXCLUSIVE MODE"
                    )
            if sale_lines_fingerprint() != self.sale_lines:
                raise Conflict(SaleLine, None, "")
        updated = defaultdict(set)
        for op in self.ops:
            if isinstance(op, _Update):
                updated[op.model].update(o.pk for o in op.objs)
        for model, pks in self.linked.items():
            updated[model].update(pks)
        for model, records in self.expected.items():
            if not records:
                continue
            if (
                connection.vendor == "sqlite"
                and model in self.fingerprints
                and _fingerprint(model) == self.fingerprints[model]
            ):
                # No record of the table was added, changed or deleted since before the
                # plan read it (SQLite's lock keeps it so until the commit): one pass over
                # the table instead of one look-up per record.
                continue
            names = sorted({n for snap in records.values() for n in snap})
            # The records the plan writes are locked (PostgreSQL; SQLite's lock is the
            # whole database already); those it leaves unchanged need only be as read:
            # a change after this is simply made after the import.
            written = updated.get(model, set())
            now = {}
            for lock, ids in (
                (True, [pk for pk in records if pk in written]),
                (False, [pk for pk in records if pk not in written]),
            ):
                for start in range(0, len(ids), _CHUNK):
                    rows = model.objects.filter(pk__in=ids[start : start + _CHUNK])
                    if lock:
                        rows = rows.select_for_update()
                    for row in rows.order_by().values("pk", *names):
                        now[row["pk"]] = row
            for pk in records:
                row = now.get(pk)
                if row is None or any(row[n] != v for n, v in records[pk].items()):
                    found = model.objects.filter(pk=pk).first()
                    raise Conflict(model, pk, str(found) if found else "")

    # The writes --------------------------------------------------------------------

    def write(self) -> None:
        """Make the planned writes (inside the caller's write transaction). Every new
        record has its id first, so each row points at the records it names whichever
        is written first (a parent further down the file: the foreign keys are checked
        at the commit)."""
        inserts = defaultdict(list)
        for op in self.ops:
            if isinstance(op, _Insert) and op.objs:
                inserts[op.model].append(op)
        for model, ops in inserts.items():
            ids = iter(_newstored_ids(model, sum(len(op.objs) for op in ops)))
            for op in ops:
                for obj in op.objs:
                    obj.pk = next(ids)
                    obj._state.adding, obj._state.db = False, "default"
        for op in self.ops:
            op()
        accounts = {real(a) for a in self.rollup_accounts}
        deals = {real(d) for d in self.rollup_deals}
        if deals:
            accounts.update(
                Opportunity.objects.filter(pk__in=deals).values_list("account_id", flat=True)
            )
        accounts.discard(None)
        if accounts:
            rollup_refresh(account_ids=accounts)

    def create(self, objs: list) -> None:
        """Insert ``objs`` (one model) when the plan is written; their ids are set then.
        The list may still change until ``seal``."""
        if objs:
            self.ops.append(_Insert(objs))

    def update(self, objs: list, fields) -> None:
        if objs:
            self.ops.append(_Update(objs, fields))

    def seal(self) -> None:
        """At the end of the preparation, still outside the write transaction: every row
        to insert or update as the database takes it, so that the write only sends them."""
        for op in self.ops:
            if isinstance(op, _Insert | _Update):
                op.seal()

    def replace_snapshots(self, deals: set) -> None:
        """The CRM's stage history replaces the snapshots of the current stage keyplan
        records when it imports a deal: those the plan would insert for ``deals`` are left
        out, those in the database are deleted when the plan is written."""
        for snapshots in self.snapshots:
            snapshots[:] = [s for s in snapshots if s.opportunity_id not in deals]
        known = stored_ids(deals)
        if known:
            self.ops.append(
                lambda: OpportunityStageChange.objects.filter(
                    opportunity_id__in=known, external_id=None, source="import"
                ).delete()
            )

    def link(self, model, field: str, pairs: list, *, version: bool = True) -> None:
        """Point records at records of the same kind (parent, reports-to, manager):
        ``pairs`` of (record, target), either an id or a ``New``. A record the plan creates
        is inserted with its link (and, as the link's update would have left it, one
        version more); the others are updated."""
        attname = model._meta.get_field(field).attname
        existing = []
        for target, pk in pairs:
            if isinstance(pk, New):
                setattr(pk.obj, attname, target)
                if version:
                    pk.obj.version += 1
            else:
                existing.append((target, pk))
        pairs = existing
        if not pairs:
            return
        self.linked[model].update(pk for _target, pk in pairs)
        column = model._meta.get_field(field).column
        bump = ", version = version + 1" if version else ""

        def op():
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {model._meta.db_table} SET {column} = %s{bump} WHERE id = %s",
                    [(real(target), real(pk)) for target, pk in pairs],
                )

        self.ops.append(op)


def _columns(model):
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _prepared(obj, fields, *, add: bool) -> list:
    """``obj``'s values of ``fields`` as the database takes them (as Django's insert and
    update compilers prepare them); a ``New`` is kept, to be filled in at write time."""
    row = []
    for f in fields:
        value = f.pre_save(obj, add) if add else getattr(obj, f.attname)
        row.append(value if isinstance(value, New) else f.get_db_prep_save(value, connection))
    return row


def _fill(rows: list[list], positions: list[int]) -> None:
    for row in rows:
        for i in positions:
            if isinstance(row[i], New):
                row[i] = row[i].obj.pk


def _newstored_ids(model, count: int) -> list[int]:
    """``count`` ids for new rows of ``model``, inside the write transaction (on SQLite
    it holds the lock, so no one else takes them; PostgreSQL's sequence hands them out)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        highest = cursor.fetchone()[0]
        # Never an id given before (AUTOINCREMENT's counter), as Django's own inserts.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        seq = cursor.fetchone()
        start = max(highest, seq[0] if seq else 0) + 1
    return list(range(start, start + count))


class _Insert:
    """New records of one model: one executemany with their ids given up front, so the
    records created after them point at them without reading anything back."""

    def __init__(self, objs: list):
        self.objs = objs
        self.model = type(objs[0])
        self.rows = None

    def seal(self):
        fields = _columns(self.model)
        self.columns = [f.column for f in fields]
        self.fks = [i for i, f in enumerate(fields) if isinstance(f, ForeignKey)]
        self.rows = [_prepared(obj, fields, add=True) for obj in self.objs]

    def __call__(self):
        if not self.objs:
            return
        if self.rows is None:
            self.seal()
        ids = [obj.pk for obj in self.objs]  # given by ``FolderPlan.write``
        _fill(self.rows, self.fks)
        names = ", ".join(["id", *self.columns])
        marks = ", ".join(["%s"] * (len(self.columns) + 1))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.model._meta.db_table} ({names}) VALUES ({marks})",
                [(pk, *row) for pk, row in zip(ids, self.rows, strict=True)],
            )


class _Update:
    """Changed records of one model: one executemany of ``UPDATE … WHERE id``."""

    def __init__(self, objs: list, names):
        self.objs = objs
        self.model = type(objs[0])
        self.names = sorted(names)
        self.rows = None

    def seal(self):
        meta = self.model._meta
        fields = [meta.get_field(n) for n in self.names]
        self.columns = [f.column for f in fields]
        self.fks = [i for i, f in enumerate(fields) if isinstance(f, ForeignKey)]
        self.rows = [_prepared(o, fields, add=False) for o in self.objs]
        self.rows = [[*row, obj.pk] for row, obj in zip(self.rows, self.objs, strict=True)]

    def __call__(self):
        if self.rows is None:
            self.seal()
        _fill(self.rows, self.fks)
        assignments = ", ".join(f"{c} = %s" for c in self.columns)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {self.model._meta.db_table} SET {assignments} WHERE id = %s", self.rows
            )


# The kinds, planning ------------------------------------------------------------------


class _Upsert:
    """``SelfReferences.upsert`` that plans: new records are ``New`` in the index and
    created when the plan is written; changed ones are updated then."""

    plan: FolderPlan

    def created(self, number, obj, ref, on_create):
        token = obj._planned = New(obj)
        on_create(token, obj)
        self.planned(token, obj)
        if ref:
            self.links.append((number, token, ref))

    def matched(self, obj):
        # A record created by an earlier row of the folder (matched by name) is changed
        # before it is written; one in the database is updated.
        planned = getattr(obj, "_planned", None)
        if planned is None:
            self.plan.expect(obj)
        key = planned or obj.pk
        self.planned(key, obj)
        return key

    def store(self, model, to_create, to_update, update_fields, on_create):
        self.plan.create([obj for _, obj, _ in to_create])
        self.plan.update(to_update, update_fields)

    def planned(self, key, obj) -> None:
        pass

    def plan_links(self, model, field: str) -> tuple[list, set, list]:
        """``resolve_links``, planned: the errors, the records whose link changes, and the
        (target, record) pairs."""
        errors, pairs = resolve_references(self.links, self.index, self.ref_column)
        self.plan.link(model, field, pairs)
        return errors, {pk for _target, pk in pairs}, pairs


class PlannedUsers(UsersKind):
    def __init__(self, options, plan: FolderPlan):
        super().__init__(options)
        self.plan = plan
        self.index = plan.users

    def new_team(self, name):
        team = Team(name=name)
        self.plan.create([team])
        return New(team)

    def write(self, batch):
        self._created, self._updated, self._fields = [], [], set()
        counts = super().write(batch)
        self.plan.create(self._created)
        self.plan.update(self._updated, self._fields)
        return counts

    def create(self, user):
        token = New(user)
        self._created.append(user)
        self.plan.user_state[token] = user
        return token

    def compare(self, user, fields):
        self.plan.expect(user, fields)

    def update(self, user, changed):
        self._updated.append(user)
        self._fields.update(changed)

    def kept(self, user):
        self.plan.user_state[user.pk] = user

    def set_managers(self, pairs):
        for manager_id, pk in pairs:
            self.plan.user_manager[pk] = manager_id
        self.plan.link(User, "manager", pairs, version=False)


class PlannedAccounts(_Upsert, AccountsKind):
    def __init__(self, options, plan: FolderPlan):
        super().__init__(options)
        self.plan = plan
        self.index = plan.accounts
        self.users = plan.users

    def planned(self, key, obj):
        self.plan.account_state[key] = obj

    def finish(self):
        errors, moved, pairs = self.plan_links(Account, "parent")
        for target, pk in pairs:
            self.plan.account_parent[pk] = target
        touched = self.touched
        if touched or moved:
            self.plan.ops.append(lambda: self.rebuild_lineage(touched, moved))
        return errors


class PlannedProducts(ProductsKind):
    def __init__(self, options, plan: FolderPlan):
        super().__init__(options)
        self.plan = plan
        self.index = plan.products

    def new_line(self, name, core):
        line = ProductLine(name=name, is_core=core)
        self.plan.create([line])
        return line

    def set_core(self, line, core):
        if line.pk is not None:
            self.plan.expect(line)
            line.version += 1
            self.plan.update([line], ["is_core", "version"])
        line.is_core = core

    def write(self, batch):
        self._created = []
        try:
            return super().write(batch)
        finally:
            self.plan.create(self._created)

    def products_of(self, batch):
        pks = [
            self.index.by_external.get(v["external_id"]) for _n, v in batch if v.get("external_id")
        ]
        for _n, v in batch:
            if not v.get("external_id"):
                with contextlib.suppress(LookupError):
                    pks.append(self.index.find(v["name"]))
        existing = Product.objects.in_bulk(stored_ids(pks))
        return lambda pk: record_of(pk, existing)

    def create(self, product):
        self._created.append(product)
        return New(product)

    def compare(self, product):
        if product.pk is not None:
            self.plan.expect(product)

    def update(self, product, changed):
        if product.pk is not None:
            self.plan.update([product], [*changed, "version"])


class PlannedContacts(_Upsert, ContactsKind):
    def __init__(self, options, plan: FolderPlan):
        super().__init__(options)
        self.plan = plan
        self.index = plan.contacts
        self.accounts = plan.accounts
        self.users = plan.users

    def _existing(self, batch):
        by_ext, by_email = super()._existing(batch)
        for _n, v in batch:
            ext = v.get("external_id")
            if ext and ext not in by_ext:
                learned = self.plan.learned.get((Contact, ext))
                if learned is not None:
                    by_ext[ext] = learned
        return by_ext, by_email

    def finish(self):
        errors, _changed, _pairs = self.plan_links(Contact, "reports_to")
        return errors


class PlannedSight:
    """``AccountSight`` over the plan: who sees which account once the users' managers
    and the accounts' owners and parents are as the folder makes them."""

    def __init__(self, plan: FolderPlan):
        self.plan = plan
        self._ready = False
        self._seen: dict = {}

    def _load(self):
        plan = self.plan
        users = {}
        for pk, manager, team, role, superuser, active in User.objects.values_list(
            "pk", "manager_id", "team_id", "role", "is_superuser", "is_active"
        ):
            users[pk] = (manager, team, User(role=role, is_superuser=superuser), active)
        for key, user in plan.user_state.items():
            before = users.get(key)
            users[key] = (before[0] if before else None, user.team_id, user, user.is_active)
        for key, manager in plan.user_manager.items():
            _m, team, user, active = users[key]
            users[key] = (manager, team, user, active)
        self.users = users
        team_manager = dict(Team.objects.values_list("pk", "manager_id"))
        self.reports = defaultdict(set)  # manager → users under them (directly or by team)
        by_team = defaultdict(set)
        for key, (manager, team, _u, _a) in users.items():
            if manager is not None:
                self.reports[manager].add(key)
            if team is not None:
                by_team[team].add(key)
        for team, members in by_team.items():
            manager = team_manager.get(team)
            if manager is not None:
                self.reports[manager].update(members)
        owner, parent = {}, {}
        for pk, owner_id, parent_id in Account.objects.values_list("pk", "owner_id", "parent_id"):
            owner[pk], parent[pk] = owner_id, parent_id
        for key, account in plan.account_state.items():
            owner[key] = account.owner_id
            parent.setdefault(key, account.parent_id)
        parent.update(plan.account_parent)
        self.owner, self.parent = owner, parent
        self.team = defaultdict(set)
        for account, user in AccountTeamMember.objects.values_list("account_id", "user_id"):
            self.team[account].add(user)
        self._ready = True

    def _people(self, user):
        seen = {user}
        frontier = {user}
        for _ in range(_MAX_CHAIN):
            found = set()
            for u in frontier:
                found |= self.reports.get(u, set())
            frontier = found - seen
            if not frontier:
                break
            seen |= frontier
        return seen

    def sees(self, user_id, account_id) -> bool:
        if not self._ready:
            self._load()
        if user_id not in self._seen:
            state = self.users.get(user_id)
            if state is None or not state[3]:
                self._seen[user_id] = set()
            elif state[2].sees_everything:
                self._seen[user_id] = None
            else:
                self._seen[user_id] = self._people(user_id)
        people = self._seen[user_id]
        if people is None:
            return True
        node, depth = account_id, 0
        while node is not None and depth <= 100:
            if self.owner.get(node) in people or self.team.get(node, set()) & people:
                return True
            node, depth = self.parent.get(node), depth + 1
        return False


class PlannedOpportunities(OpportunitiesKind):
    def __init__(self, options, plan: FolderPlan):
        super().__init__(options)
        self.plan = plan
        self.accounts = plan.accounts
        self.products = plan.products
        self.users = plan.users
        self.sight = PlannedSight(plan)

    def _existing(self, batch):
        by_ext, by_name = super()._existing(batch)
        for _n, v in batch:
            ext = v.get("external_id")
            if ext and ext not in by_ext and (Opportunity, ext) in self.plan.learned:
                by_ext[ext] = self.plan.learned[(Opportunity, ext)]
        return by_ext, by_name

    def created(self, opp):
        opp._planned = New(opp)
        if opp.external_id:
            self.plan.opportunities.add(opp._planned, opp.external_id, None)

    def compare(self, opp):
        self.plan.expect(opp)

    def store(self, to_create, to_update, update_fields):
        self.plan.create(to_create)
        self.plan.update(to_update, update_fields)

    def record_stages(self, moves):
        """The snapshots of the stage each new deal comes in at and each changed stage,
        as of the preparation."""
        if moves:
            snapshots = self.stage_changes(moves)
            self.plan.snapshots.append(snapshots)
            self.plan.create(snapshots)

    def finish(self):
        self.plan.rollup_accounts.update(self.touched)
        return []


class PlannedDealProducts(OpportunityProductsKind):
    def __init__(self, options, plan: FolderPlan):
        super().__init__(options)
        self.plan = plan
        self.opportunities = plan.opportunities
        self.products = plan.products

    def compare(self, line, fields):
        self.plan.expect(line, fields)

    def store(self, to_create, to_update, update_fields):
        self.plan.create(to_create)
        self.plan.update(to_update, update_fields)

    def finish(self):
        self.plan.rollup_deals.update(self.touched)
        return []


class PlannedSales(SalesKind):
    """Won deals' line items as sale lines: classified as the sales kind does, written
    with one executemany each for the new lines and the changed ones."""

    def __init__(self, options, plan: FolderPlan):
        super().__init__(options)
        self.plan = plan
        plan.sale_lines = self.fingerprint
        self.accounts = plan.accounts
        self.products = plan.products
        self.opportunities = plan.opportunities

    def write(self, batch):
        counts, new_rows, updates = self._classify(batch)
        for _n, v in new_rows:
            self.plan.rollup_accounts.add(v["account_id"])
        for _n, (_pk, old_account, v) in updates:
            self.plan.rollup_accounts.update((old_account, v["account_id"]))
        if new_rows or updates:
            self.plan.ops.append(lambda: self._write_lines(new_rows, updates))
        return counts

    def _write_lines(self, new_rows, updates):
        table = SaleLine._meta.db_table
        sqlite = connection.vendor == "sqlite"
        values = self._values_sqlite if sqlite else self._values

        def filled(v):
            return {**v, **{k: real(v[k]) for k in ("account_id", "product_id", "opportunity_id")}}

        if new_rows:
            bulk_insert(
                table, self._COLUMNS, [values(filled(v)) for _n, v in new_rows], sqlite_ready=sqlite
            )
        if updates:
            assignments = ", ".join(f"{c} = %s" for c in self._COLUMNS)
            rows = [(*values(filled(v)), pk) for _n, (pk, _old, v) in updates]
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"UPDATE {table} SET {assignments}, version = version + 1 WHERE id = %s", rows
                )

    def finish(self):
        return []

    def discard(self):
        pass


PLANNED = {
    "users": PlannedUsers,
    "accounts": PlannedAccounts,
    "products": PlannedProducts,
    "contacts": PlannedContacts,
    "opportunities": PlannedOpportunities,
    "opportunity_products": PlannedDealProducts,
    "sales": PlannedSales,
}
