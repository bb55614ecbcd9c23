"""interactions: meetings, calls, emails and events with customer contacts."""

from array import array

from keyplan.accounts.choices import InteractionKind
from keyplan.accounts.models import Contact, Interaction
from keyplan.imports.kinds.base import Cleaner, Counts, Field, RowError, changed_fields, choice
from keyplan.imports.kinds.contacts import contact_index
from keyplan.imports.kinds.users import user_index
from keyplan.imports.values import parse_bool, parse_date

KIND_ALIASES = {
    "visit": "meeting",
    "phone": "call",
    "phone call": "call",
    "mail": "email",
    "e mail": "email",
    "webinar": "event",
    "conference": "event",
}


class InteractionsKind:
    name = "interactions"
    model = Interaction
    fields = (
        Field("external_id", "Id in the source system; the key for re-imports"),
        Field("date", "Date of the touchpoint", required=True),
        Field("kind", "meeting, call, email or event", required=True),
        Field("contacts", "External ids or emails of the contacts, separated by ;", required=True),
        Field("user", "Username or email of our person who took part"),
        Field("executive", "Executive-to-executive (true/false)"),
        Field("subject", "Subject"),
        Field("notes", "Notes"),
    )
    export_fields = (
        "external_id",
        "date",
        "kind",
        "contacts",
        "user",
        "executive",
        "subject",
        "notes",
    )

    def __init__(self, options):
        self.options = options
        self.contacts = contact_index()
        self.users = user_index()
        # Which account each contact works at, as a compact array indexed by id (8 bytes
        # a contact), so checking a row's contacts needs no query.
        top = Contact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.contact_account = array("q", bytes(8 * (top + 1)))
        for pk, account_id in Contact.objects.values_list("pk", "account_id").iterator(
            chunk_size=20000
        ):
            self.contact_account[pk] = account_id

    def clean(self, row):
        c = Cleaner(row)
        if c.has("external_id"):
            c.values["external_id"] = c.raw("external_id")[:64] or None
        c.parsed("date", parse_date, required=True, date_format=self.options.date_format)
        c.set(
            "kind",
            lambda: (
                choice(c.raw("kind"), "kind", InteractionKind.choices, KIND_ALIASES)
                if c.raw("kind")
                else _required("kind")
            ),
        )
        refs = [r.strip() for r in c.raw("contacts").replace(",", ";").split(";") if r.strip()]
        if not refs:
            c.fail("contacts", "is required (one or more, separated by ;)")
        pks = []
        for ref in refs:
            try:
                pks.append(self.contacts.find_or_error("contacts", ref))
            except RowError as exc:
                c.errors.append(exc)
        if pks and len(pks) == len(refs):
            accounts = {self.contact_account[pk] for pk in pks}
            if len(accounts) > 1:
                c.fail(
                    "contacts",
                    "the contacts work at different accounts; one interaction is with one account",
                )
            elif accounts:
                c.values["account_id"] = accounts.pop()
        c.values["_contacts"] = sorted(set(pks))
        if c.has("user"):
            c.set(
                "_user",
                lambda: self.users.find_or_error("user", c.raw("user")) if c.raw("user") else None,
            )
        c.parsed("executive", parse_bool, target="is_executive")
        if c.values.get("is_executive") is None:
            c.values.pop("is_executive", None)
        c.string("subject", max_length=200)
        if c.has("notes"):
            c.values["notes"] = c.raw("notes")
        return c.done()

    def key(self, values):
        return values.get("external_id") or (
            values["date"],
            values["kind"],
            tuple(values["_contacts"]),
            values.get("_user"),
        )

    def write(self, batch):
        counts = Counts()
        exts = [v["external_id"] for _, v in batch if v.get("external_id")]
        by_ext = {
            i.external_id: i
            for i in Interaction.objects.filter(external_id__in=exts).prefetch_related(
                "contacts", "participants"
            )
        }
        by_key = self._without_ids(batch)
        new = []
        for _number, values in batch:
            fields = {k: v for k, v in values.items() if not k.startswith("_")}
            contacts = values["_contacts"]
            participants = [values["_user"]] if values.get("_user") else []
            if values.get("external_id"):
                inter = by_ext.get(values["external_id"])
            else:
                inter = by_key.get(self._key(fields, contacts, participants))
            if inter is None:
                new.append((Interaction(**fields), contacts, participants))
                continue
            changed = changed_fields(inter, fields)
            same_contacts = sorted(c.pk for c in inter.contacts.all()) == contacts
            same_people = (
                "_user" not in values
                or sorted(p.pk for p in inter.participants.all()) == participants
            )
            if changed or not same_contacts or not same_people:
                for name in changed:
                    setattr(inter, name, fields[name])
                inter.version += 1  # an API client holding the old version must reload
                inter.save(update_fields=[*changed, "version"])
            if not same_contacts:
                inter.contacts.set(contacts)
            if not same_people:
                inter.participants.set(participants)
            if changed or not same_contacts or not same_people:
                counts.updated += 1
            else:
                counts.unchanged += 1
        if new:
            Interaction.objects.bulk_create([i for i, _, _ in new], batch_size=2000)
            Interaction.contacts.through.objects.bulk_create(
                [
                    Interaction.contacts.through(interaction_id=i.pk, contact_id=c)
                    for i, contacts, _ in new
                    for c in contacts
                ],
                batch_size=5000,
            )
            Interaction.participants.through.objects.bulk_create(
                [
                    Interaction.participants.through(interaction_id=i.pk, user_id=u)
                    for i, _, people in new
                    for u in people
                ],
                batch_size=5000,
            )
            counts.created += len(new)
        return counts

    @staticmethod
    def _key(fields, contacts, participants):
        return (
            fields.get("account_id"),
            fields["date"],
            fields["kind"],
            tuple(contacts),
            tuple(participants),
        )

    def _without_ids(self, batch) -> dict:
        """Interactions without external ids that the batch may repeat, in one query."""
        rows = [v for _, v in batch if not v.get("external_id")]
        if not rows:
            return {}
        candidates = Interaction.objects.filter(
            external_id=None,
            account_id__in={v.get("account_id") for v in rows},
            date__gte=min(v["date"] for v in rows),
            date__lte=max(v["date"] for v in rows),
        ).prefetch_related("contacts", "participants")
        return {
            (
                i.account_id,
                i.date,
                i.kind,
                tuple(sorted(c.pk for c in i.contacts.all())),
                tuple(sorted(p.pk for p in i.participants.all())),
            ): i
            for i in candidates
        }

    def finish(self):
        return []

    def export_rows(self, queryset):
        qs = queryset.prefetch_related("contacts", "participants").order_by("pk")
        for i in qs.iterator(chunk_size=2000):
            people = list(i.participants.all())
            yield [
                i.external_id or "",
                i.date.isoformat(),
                i.kind,
                ";".join(c.external_id or c.email for c in i.contacts.all()),
                people[0].username if people else "",
                "true" if i.is_executive else "false",
                i.subject,
                i.notes,
            ]


def _required(column):
    raise RowError(column, "", "is required")
