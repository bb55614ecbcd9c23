"""users: the people of our sales organisation, their role, manager and team."""

from django.contrib.auth.hashers import make_password

from keyplan.imports.kinds.base import (
    Cleaner,
    Counts,
    Field,
    Index,
    New,
    RowError,
    changed_fields,
    choice,
    link_differs,
    resolve_references,
    salesforce_15,
)
from keyplan.imports.values import normalise_key
from keyplan.people.choices import Role
from keyplan.people.models import Team, User

ROLE_ALIASES = {
    "sales rep": Role.REP,
    "account executive": Role.REP,
    "ae": Role.REP,
    "account manager": Role.REP,
    "sales": Role.REP,
    "representative": Role.REP,
    "sales manager": Role.MANAGER,
    "team lead": Role.MANAGER,
    "director": Role.MANAGER,
    "exec": Role.EXECUTIVE,
    "vp": Role.EXECUTIVE,
    "vp sales": Role.EXECUTIVE,
    "cro": Role.EXECUTIVE,
    "ceo": Role.EXECUTIVE,
    "ops": Role.SALES_OPS,
    "sales ops": Role.SALES_OPS,
    "salesops": Role.SALES_OPS,
    "revops": Role.SALES_OPS,
    "operations": Role.SALES_OPS,
    "administrator": Role.ADMIN,
    "system administrator": Role.ADMIN,
}


def user_index() -> Index:
    """Users are referenced by username (or their source-system id), else by email."""
    index = Index("user")
    for pk, username, email, external_id in User.objects.values_list(
        "pk", "username", "email", "external_id"
    ):
        index.add(pk, username, email)
        if external_id:
            index.add(pk, external_id, None)
    return index


def _split_name(name: str) -> tuple[str, str]:
    parts = name.split()
    if not parts:
        return "", ""
    if len(parts) == 1:
        return "", parts[0]
    return " ".join(parts[:-1]), parts[-1]


class UsersKind:
    name = "users"
    model = User
    fields = (
        Field("username", "Sign-in name; the key for re-imports", required=True),
        Field("email", "Email address"),
        Field("name", "Full name"),
        Field("role", "rep, manager, executive, sales ops or admin"),
        Field("manager", "Username or email of their manager"),
        Field("team", "Team name (created if new)"),
        Field("external_id", "Id in the source system (e.g. Salesforce User Id)"),
    )
    export_fields = ("username", "email", "name", "role", "manager", "team", "external_id")
    ref_column = "manager"

    def __init__(self, options):
        self.options = options
        self.index = user_index()
        self.teams = {normalise_key(t.name): t for t in Team.objects.all()}
        self.file_users: set[str] = set()
        self.file_edges: dict[str, str] = {}
        self.file_ids: dict[str, str] = {}
        self.links: list[tuple[int, int, str]] = []
        self.cyclic: set[str] = set()
        self._unusable = None

    def scan(self, row):
        username = row.get("username", "").strip()
        if username:
            self.file_users.add(username)
            external_id = row.get("external_id", "").strip()
            if external_id:
                self.file_users.add(external_id)
                self.file_ids[external_id] = username
                if salesforce_15(external_id):
                    self.file_ids.setdefault(external_id[:15], username)
            if row.get("email", "").strip():
                self.file_users.add(normalise_key(row["email"]))
            if row.get("manager", "").strip():
                self.file_edges[username] = row["manager"].strip()

    def _resolve_name(self, ref: str) -> str | None:
        """A reference as a username of the file or the database, for cycle checks."""
        if ref in self.file_ids:
            return self.file_ids[ref]
        if ref in self.file_users:
            return ref
        pk = self.index.find(ref) if ref else None
        if pk:
            return User.objects.filter(pk=pk).values_list("username", flat=True).first()
        return None

    def end_scan(self):
        from keyplan.imports.kinds.graph import find_cycles

        if not self.file_edges:
            return
        edges = {}
        for user, ref in self.file_edges.items():
            try:
                target = self._resolve_name(ref)
            except LookupError:
                target = None
            if target:
                edges[user] = target
        existing = dict(
            User.objects.filter(manager__isnull=False).values_list("username", "manager__username")
        )
        self.cyclic = find_cycles(edges, existing)

    def clean(self, row):
        c = Cleaner(row)
        c.string("username", max_length=150, required=True)
        c.email()
        if c.has("name"):
            first, last = _split_name(c.raw("name"))
            c.values["first_name"], c.values["last_name"] = first[:150], last[:150]
        if c.has("role"):
            c.set(
                "role",
                lambda: (
                    choice(c.raw("role"), "role", Role.choices, ROLE_ALIASES)
                    if c.raw("role")
                    else Role.REP
                ),
            )
        if c.has("manager"):
            ref = c.raw("manager")
            if ref and c.raw("username") in self.cyclic:
                c.fail("manager", f"“{ref}” would make a cycle in the management chain")
            elif ref and ref not in self.file_users and normalise_key(ref) not in self.file_users:
                try:
                    self.index.find_or_error("manager", ref)
                except RowError as exc:
                    c.errors.append(exc)
            c.values["_manager"] = ref
        if c.has("team"):
            c.values["_team"] = " ".join(c.raw("team").split())[:120]
        if c.has("external_id"):
            c.values["external_id"] = c.raw("external_id")[:64] or None
        return c.done()

    def key(self, values):
        return values.get("username")

    def _team(self, name: str):
        """The team called ``name`` (created if new), as its key; None for no team."""
        if not name:
            return None
        key = normalise_key(name)
        if key not in self.teams:
            self.teams[key] = self.new_team(name)
        team = self.teams[key]
        return team if isinstance(team, New) else team.pk

    def new_team(self, name: str):
        return Team.objects.create(name=name)

    def write(self, batch):
        counts = Counts()
        existing = {
            u.username: u
            for u in User.objects.filter(username__in=[v["username"] for _, v in batch])
        }
        for number, values in batch:
            fields = {k: v for k, v in values.items() if not k.startswith("_")}
            if "_team" in values:
                fields["team_id"] = self._team(values["_team"])
            user = existing.get(values["username"])
            manager_ref = values.get("_manager")
            if user is None:
                if self._unusable is None:
                    self._unusable = make_password(None)
                user = User(password=self._unusable, **fields)
                key = self.create(user)
                self.index.add(key, user.username, user.email)
                if user.external_id:
                    self.index.add(key, user.external_id, None)
                counts.created += 1
                if manager_ref:
                    self.links.append((number, key, manager_ref))
                continue
            self.compare(user, [*fields, *(["manager_id"] if manager_ref is not None else [])])
            changed = changed_fields(user, fields)
            moves = manager_ref is not None and link_differs(
                self.index, user.manager_id, manager_ref
            )
            if changed:
                for name in changed:
                    setattr(user, name, fields[name])
                self.update(user, changed)
            if moves:
                self.links.append((number, user.pk, manager_ref))
            self.kept(user)
            if changed or moves:
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    def create(self, user):
        """A new user: its key (its id, once saved)."""
        user.save()
        return user.pk

    def compare(self, user, fields) -> None:
        """``user`` as read, before the row compares its ``fields``."""

    def update(self, user, changed) -> None:
        user.save(update_fields=changed)

    def kept(self, user) -> None:
        """``user`` as the row leaves it."""

    def finish(self):
        errors, pairs = resolve_references(self.links, self.index, "manager")
        self.set_managers(pairs)
        return errors

    def set_managers(self, pairs) -> None:
        if pairs:
            User.objects.bulk_update(
                [User(pk=pk, manager_id=manager_id) for manager_id, pk in pairs], ["manager"]
            )

    def export_rows(self, queryset):
        for u in queryset.select_related("manager", "team").order_by("pk"):
            yield [
                u.username,
                u.email,
                u.get_full_name(),
                u.role,
                u.manager.username if u.manager else "",
                u.team.name if u.team else "",
                u.external_id or "",
            ]
