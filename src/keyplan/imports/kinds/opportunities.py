"""opportunities: the pipeline, open and closed."""

import datetime
from decimal import Decimal

from django.utils import timezone

from keyplan.accounts.selectors import AccountSight
from keyplan.imports.kinds.accounts import account_index
from keyplan.imports.kinds.base import Cleaner, Counts, Field, SkipRow, changed_fields
from keyplan.imports.kinds.products import product_index
from keyplan.imports.kinds.users import user_index
from keyplan.imports.values import normalise_key, parse_date, parse_decimal, parse_int
from keyplan.sales.choices import STAGE_PROBABILITY, OpportunityStatus
from keyplan.sales.models import Opportunity, OpportunityStageChange
from keyplan.sales.rollup import rollup_refresh

_CENT = Decimal("0.01")

WON_NAMES = {"won", "closed won", "closedwon", "closed/won", "closed - won", "win", "booked"}
LOST_NAMES = {
    "lost",
    "closed lost",
    "closedlost",
    "closed/lost",
    "closed - lost",
    "loss",
    "dead",
    "disqualified",
    "closed disqualified",
    "no decision",
}


# Salesforce and most CRMs allow an opportunity without an account (an early deal, a
# person account); keyplan plans accounts, so it skips such a row instead of refusing the
# file.
NO_ACCOUNT = "it has no account; keyplan plans accounts and cannot place it"


def stage_status(stage: str, stage_map: dict[str, str]) -> str:
    key = normalise_key(stage)
    if key in stage_map:
        return stage_map[key]
    if key in WON_NAMES:
        return OpportunityStatus.WON
    if key in LOST_NAMES:
        return OpportunityStatus.LOST
    return OpportunityStatus.OPEN


class OpportunitiesKind:
    name = "opportunities"
    model = Opportunity
    fields = (
        Field("external_id", "Id in the source system; the key for re-imports"),
        Field("name", "Opportunity name", required=True),
        Field("account", "External id or exact name of the account", required=True),
        Field("product", "External id or exact name of the product"),
        Field("stage", "Stage name; Won/Closed Won and Lost/Closed Lost close it", required=True),
        Field("amount", "Amount (an open deal may leave it empty: not known yet)", required=True),
        Field("probability", "Win probability in percent (default from the stage)"),
        Field("created_date", "When it was created (default: the close date)"),
        Field(
            "close_date",
            "Expected or actual close date (an open deal may leave it empty)",
            required=True,
        ),
        Field("owner", "Username or email of the owner"),
    )
    export_fields = (
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
    )

    def __init__(self, options):
        self.options = options
        self.accounts = account_index()
        self.products = product_index()
        self.users = user_index()
        self.sight = AccountSight()
        self.touched: set[int] = set()
        self.today = datetime.date.today()

    def clean(self, row):
        c = Cleaner(row)
        if not c.raw("account"):
            raise SkipRow(NO_ACCOUNT)
        fmt = self.options.date_format
        if c.has("external_id"):
            c.values["external_id"] = c.raw("external_id")[:64] or None
        c.string("name", required=True)
        c.set("account_id", lambda: self.accounts.find_or_error("account", c.raw("account")))
        if c.has("product"):
            c.set(
                "product_id",
                lambda: (
                    self.products.find_or_error("product", c.raw("product"))
                    if c.raw("product")
                    else None
                ),
            )
        c.string("stage", max_length=60, required=True)
        if c.values.get("stage"):
            c.values["status"] = stage_status(c.values["stage"], self.options.stage_map)
        # An open deal may know neither its amount nor its close date yet (early stages);
        # a won or lost one needs both: a sale has a value and a date.
        status = c.values.get("status")
        closed = status in (OpportunityStatus.WON, OpportunityStatus.LOST)
        if closed:
            for name, what in (("amount", "an amount"), ("close_date", "a close date")):
                if c.has(name) and not c.raw(name):
                    c.fail(
                        name,
                        f"a {status} opportunity needs {what}; only an open one may leave it empty",
                    )
        c.parsed("amount", parse_decimal, minimum=0)
        if c.values.get("amount") is not None:
            c.values["amount"] = c.values["amount"].quantize(_CENT)
        c.parsed("probability", parse_int, minimum=0)
        if c.values.get("probability") is not None and c.values["probability"] > 100:
            c.fail("probability", "is a percentage: 0 to 100")
        if c.values.get("probability") is None:
            c.values["probability"] = self._default_probability(c.values)
        c.parsed("close_date", parse_date, date_format=fmt)
        c.parsed("created_date", parse_date, date_format=fmt)
        if c.values.get("created_date") is None and c.values.get("close_date"):
            c.values["created_date"] = c.values["close_date"]
        elif c.values.get("created_date") is None:
            # Neither date known: a new deal is created as of the import (``write``); a
            # known one keeps the created date it has.
            c.values.pop("created_date", None)
        if (
            c.values.get("created_date")
            and c.values.get("close_date")
            and c.values["created_date"] > c.values["close_date"]
        ):
            c.fail("close_date", "is before the created date")
        if c.has("owner"):
            c.set(
                "owner_id",
                lambda: (
                    self.users.find_or_error("owner", c.raw("owner")) if c.raw("owner") else None
                ),
            )
            owner_id, account_id = c.values.get("owner_id"), c.values.get("account_id")
            if owner_id and account_id and not self.sight.sees(owner_id, account_id):
                c.fail(
                    "owner",
                    f"cannot see the account “{c.raw('account')}”: an opportunity's owner "
                    "must be someone who sees its account (its owner, on its account team, "
                    "or above them)",
                )
        return c.done()

    @staticmethod
    def _default_probability(values):
        status = values.get("status")
        if status == OpportunityStatus.WON:
            return 100
        if status == OpportunityStatus.LOST:
            return 0
        for stage, probability in STAGE_PROBABILITY.items():
            if normalise_key(stage) == normalise_key(values.get("stage", "")):
                return probability
        return 10

    def key(self, values):
        return values.get("external_id") or (
            "name",
            values.get("account_id"),
            normalise_key(values.get("name", "")),
        )

    def write(self, batch):
        counts = Counts()
        by_ext, by_name = self._existing(batch)
        to_create, to_update, update_fields = [], [], set()
        moved = []  # (deal, stage before) of the deals whose stage the import changes
        for _number, values in batch:
            if values.get("external_id"):
                opp = by_ext.get(values["external_id"])
            else:
                opp = by_name.get((values["account_id"], normalise_key(values["name"])))
            if opp is None:
                opp = Opportunity(**{"created_date": self.today, **values})
                self.created(opp)
                to_create.append(opp)
                counts.created += 1
                self.touched.add(values["account_id"])
                continue
            self.compare(opp)
            changed = changed_fields(opp, values)
            if "stage" in changed:
                moved.append((opp, opp.stage))
            if changed:
                self.touched.update((opp.account_id, values["account_id"]))
                for name in changed:
                    setattr(opp, name, values[name])
                opp.version += 1  # an API client holding the old version must reload
                to_update.append(opp)
                update_fields.update([*changed, "version"])
                counts.updated += 1
            else:
                counts.unchanged += 1
        self.store(to_create, to_update, update_fields)
        self.record_stages([(o, "") for o in to_create] + moved)
        return counts

    def _existing(self, batch) -> tuple[dict, dict]:
        """The batch's deals as they are: by external id, and by (account, name) for the
        rows without one."""
        exts = [v["external_id"] for _, v in batch if v.get("external_id")]
        by_ext = {o.external_id: o for o in Opportunity.objects.filter(external_id__in=exts)}
        names = [v["name"] for _, v in batch if not v.get("external_id")]
        by_name = {}
        if names:
            for o in Opportunity.objects.filter(name__in=names, external_id=None):
                by_name[(o.account_id, normalise_key(o.name))] = o
        return by_ext, by_name

    def created(self, opp) -> None:
        """A row makes the new deal ``opp`` (written in ``store``)."""

    def compare(self, opp) -> None:
        """``opp`` as read, before a row compares it."""

    def store(self, to_create, to_update, update_fields) -> None:
        if to_create:
            Opportunity.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            Opportunity.objects.bulk_update(to_update, sorted(update_fields), batch_size=2000)

    def record_stages(self, moves) -> None:
        """The stage history: one row per new deal (the stage it came in at) and per deal
        whose stage the file changes, in one bulk insert, as of the import."""
        if moves:
            OpportunityStageChange.objects.bulk_create(self.stage_changes(moves), batch_size=2000)

    def stage_changes(self, moves) -> list[OpportunityStageChange]:
        """The snapshots of (deal, stage before) ``moves``, as of now."""
        now = timezone.now()
        user = self.options.user
        return [
            OpportunityStageChange(
                opportunity_id=getattr(o, "_planned", None) or o.pk,  # a planned deal's key
                from_stage=before,
                to_stage=o.stage,
                probability=o.probability,
                changed_at=now,
                changed_by=user if getattr(user, "is_authenticated", False) else None,
                source="import",
            )
            for o, before in moves
        ]

    def finish(self):
        if self.touched:
            rollup_refresh(account_ids=self.touched)
        return []

    def export_rows(self, queryset):
        qs = queryset.select_related("account", "product", "owner").order_by("pk")
        for o in qs.iterator(chunk_size=5000):
            yield [
                o.external_id or "",
                o.name,
                o.account.external_id or o.account.name,
                (o.product.external_id or o.product.name) if o.product else "",
                o.stage,
                "" if o.amount is None else str(o.amount),
                str(o.probability),
                o.created_date.isoformat(),
                o.close_date.isoformat() if o.close_date else "",
                o.owner.username if o.owner else "",
            ]
