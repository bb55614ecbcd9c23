"""contacts: the people at customer accounts and their reporting lines."""

from keyplan.accounts.choices import Attitude, DecisionRole, RelationshipStrength, Seniority
from keyplan.accounts.models import Contact
from keyplan.imports.kinds.accounts import SelfReferences, account_index
from keyplan.imports.kinds.base import (
    Cleaner,
    Field,
    Index,
    SkipRow,
    choice,
    salesforce_15,
)
from keyplan.imports.kinds.users import user_index
from keyplan.imports.values import normalise_key, parse_bool

# A private contact (Salesforce allows a contact without an account) cannot be placed:
# keyplan plans accounts. It is skipped, not refused.
NO_ACCOUNT = "it has no account (a private contact); keyplan plans accounts and cannot place it"

SENIORITY_ALIASES = {
    "c level": Seniority.C_LEVEL,
    "c suite": Seniority.C_LEVEL,
    "cxo": Seniority.C_LEVEL,
    "executive": Seniority.C_LEVEL,
    "vice president": Seniority.VP,
    "svp": Seniority.VP,
    "evp": Seniority.VP,
    "head": Seniority.DIRECTOR,
    "ic": Seniority.INDIVIDUAL,
    "individual": Seniority.INDIVIDUAL,
    "staff": Seniority.INDIVIDUAL,
}


def contact_index() -> Index:
    """Contacts are referenced by external id, else by email."""
    index = Index("contact")
    for pk, external_id, email in Contact.objects.values_list(
        "pk", "external_id", "email"
    ).iterator(chunk_size=10000):
        index.add(pk, external_id, email or None)
    return index


class ContactsKind(SelfReferences):
    name = "contacts"
    model = Contact
    ref_column = "reports_to"
    fields = (
        Field("external_id", "Id in the source system; the key for re-imports"),
        Field("account", "External id or exact name of the account", required=True),
        Field("first_name", "First name"),
        Field("last_name", "Last name (or give the full name as Name)", required=True),
        Field("name", "Full name, when first and last name are not separate columns"),
        Field("title", "Job title"),
        Field("function", "Function, e.g. Finance, IT"),
        Field("seniority", "C-level, VP, director, manager or individual contributor"),
        Field("email", "Email address (also a key when there is no external id)"),
        Field("phone", "Phone number"),
        Field("reports_to", "External id or email of their manager"),
        Field("decision_role", "decision maker, influencer, champion, coach, blocker, user"),
        Field("attitude", "supporter, neutral or detractor"),
        Field("relationship_strength", "none, weak, medium or strong"),
        Field("relationship_owner", "Username or email of who of us holds the relationship"),
        Field("active", "Still at the company (true/false)"),
    )
    export_fields = (
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
        "decision_role",
        "attitude",
        "relationship_strength",
        "relationship_owner",
        "active",
    )

    def __init__(self, options):
        super().__init__()
        self.options = options
        self.index = contact_index()
        self.accounts = account_index()
        self.users = user_index()
        self.skipped_keys: set[str] = set()

    def node(self, row):
        ext = row.get("external_id", "").strip()
        if ext:
            return f"x:{ext}"
        return f"n:{normalise_key(row.get('email', ''))}"

    def keys_of(self, row):
        keys = []
        if row.get("external_id", "").strip():
            keys += self.external_keys(row["external_id"].strip())
        if row.get("email", "").strip():
            keys.append(f"n:{normalise_key(row['email'])}")
        return keys

    def existing_edges(self, edges):
        existing = {}
        rows = Contact.objects.filter(reports_to__isnull=False).values_list("pk", "reports_to_id")
        for pk, boss in rows.iterator(chunk_size=10000):
            node = self.db_node(pk)
            if node not in edges:
                existing[node] = self.db_node(boss)
        return existing

    def scan(self, row):
        if row.get("account", "").strip():
            super().scan(row)
        else:
            self.skipped_keys.update(self.keys_of(row))

    def _skipped(self, ref: str) -> bool:
        """Does ``ref`` name a contact of this file that is skipped (and no other)?"""
        if not ref:
            return False
        keys = {f"x:{ref}", f"n:{normalise_key(ref)}"}
        if salesforce_15(ref):
            keys.add(f"x:{ref[:15]}")
        return not self.in_file(ref) and bool(keys & self.skipped_keys)

    def clean(self, row):
        c = Cleaner(row)
        if not c.raw("account"):
            raise SkipRow(NO_ACCOUNT)
        if c.has("external_id"):
            c.values["external_id"] = c.raw("external_id")[:64] or None
        c.set("account_id", lambda: self.accounts.find_or_error("account", c.raw("account")))
        if c.has("first_name") or c.has("last_name"):
            c.string("first_name", max_length=100)
            c.string("last_name", max_length=100, required=not c.raw("name"))
        if c.raw("name") and not c.raw("last_name"):
            parts = c.raw("name").split()
            c.values["first_name"] = " ".join(parts[:-1])[:100]
            c.values["last_name"] = parts[-1][:100]
        elif not c.has("last_name") and not c.raw("name"):
            c.fail("last_name", "is required (or a Name column with the full name)")
        c.string("title", max_length=150)
        c.string("function", max_length=80)
        for column, choices, aliases in (
            ("seniority", Seniority.choices, SENIORITY_ALIASES),
            ("decision_role", DecisionRole.choices, None),
            ("attitude", Attitude.choices, None),
        ):
            if c.has(column):
                c.set(
                    column,
                    lambda column=column, choices=choices, aliases=aliases: (
                        choice(c.raw(column), column, choices, aliases) if c.raw(column) else ""
                    ),
                )
        if c.has("relationship_strength"):
            c.set(
                "relationship_strength",
                lambda: (
                    choice(
                        c.raw("relationship_strength"),
                        "relationship_strength",
                        RelationshipStrength.choices,
                    )
                    if c.raw("relationship_strength")
                    else RelationshipStrength.NONE
                ),
            )
        c.email()
        c.string("phone", max_length=40)
        if c.has("relationship_owner"):
            c.set(
                "relationship_owner_id",
                lambda: (
                    self.users.find_or_error("relationship_owner", c.raw("relationship_owner"))
                    if c.raw("relationship_owner")
                    else None
                ),
            )
        c.parsed("active", parse_bool, target="is_active")
        if c.values.get("is_active") is None:
            c.values.pop("is_active", None)
        if self._skipped(c.raw("reports_to")):
            c.fail(
                "reports_to",
                "is a contact without an account, skipped in this file: keyplan cannot link "
                "to it (give that contact an account, or empty this cell)",
            )
        else:
            self.check_reference(c, "_reports_to")
        return c.done()

    def key(self, values):
        if values.get("external_id"):
            return values["external_id"]
        if values.get("email"):
            return ("email", normalise_key(values["email"]))
        return (
            "name",
            values.get("account_id"),
            normalise_key(f"{values.get('first_name', '')} {values.get('last_name', '')}"),
        )

    def _existing(self, batch):
        exts = [v["external_id"] for _, v in batch if v.get("external_id")]
        by_ext = {c.external_id: c for c in Contact.objects.filter(external_id__in=exts)}
        emails = [v["email"] for _, v in batch if not v.get("external_id") and v.get("email")]
        by_email = {}
        for contact in Contact.objects.filter(email__in=emails, external_id=None):
            by_email.setdefault(normalise_key(contact.email), contact)
        return by_ext, by_email

    def write(self, batch):
        by_ext, by_email = self._existing(batch)

        def match(values):
            if values.get("external_id"):
                return by_ext.get(values["external_id"])
            if values.get("email"):
                return by_email.get(normalise_key(values["email"]))
            return None

        def created(key, contact):
            self.index.add(key, contact.external_id, contact.email or None)

        return self.upsert(
            batch,
            model=Contact,
            match=match,
            ref_key="_reports_to",
            link_field="reports_to",
            on_create=created,
        )

    def finish(self):
        errors, _ = self.resolve_links(Contact, "reports_to")
        return errors

    def export_rows(self, queryset):
        qs = queryset.select_related("account", "reports_to", "relationship_owner").order_by("pk")
        for c in qs.iterator(chunk_size=5000):
            boss = c.reports_to
            yield [
                c.external_id or "",
                c.account.external_id or c.account.name,
                c.first_name,
                c.last_name,
                c.title,
                c.function,
                c.seniority,
                c.email,
                c.phone,
                (boss.external_id or boss.email) if boss else "",
                c.decision_role,
                c.attitude,
                c.relationship_strength,
                c.relationship_owner.username if c.relationship_owner else "",
                "true" if c.is_active else "false",
            ]
