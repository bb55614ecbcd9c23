"""opportunity_products: the products of a deal and their amounts (Salesforce
opportunity line items). An open deal with products is in the pipeline of each of them
for its amount; a deal without any stays in the pipeline of its own ``product``."""

from decimal import Decimal

from keyplan.imports.kinds.base import (
    Cleaner,
    Counts,
    Field,
    RowError,
    changed_fields,
    stored_ids,
)
from keyplan.imports.kinds.products import product_index
from keyplan.imports.kinds.sales import opportunity_index
from keyplan.imports.values import parse_decimal
from keyplan.sales.models import Opportunity, OpportunityProduct
from keyplan.sales.rollup import rollup_refresh

_CENT = Decimal("0.01")


class OpportunityProductsKind:
    name = "opportunity_products"
    model = OpportunityProduct
    fields = (
        Field("external_id", "Id of the line item in the source system; the key for re-imports"),
        Field("opportunity", "External id of the opportunity", required=True),
        Field("product", "External id or exact name of the product", required=True),
        Field("amount", "The product's part of the deal's amount", required=True),
        Field("quantity", "Quantity (default 1)"),
    )
    export_fields = ("external_id", "opportunity", "product", "amount", "quantity")

    def __init__(self, options):
        self.options = options
        self.opportunities = opportunity_index()
        self.products = product_index()
        self.touched: set[int] = set()  # deals whose products changed

    def clean(self, row):
        c = Cleaner(row)
        if c.has("external_id"):
            c.values["external_id"] = c.raw("external_id")[:64] or None
        for column, index in (("opportunity", self.opportunities), ("product", self.products)):
            c.set(f"{column}_id", lambda column=column, index=index: _find(c, column, index))
        c.parsed("amount", parse_decimal, required=True, minimum=0)
        if c.values.get("amount") is not None:
            c.values["amount"] = c.values["amount"].quantize(_CENT)
        c.parsed("quantity", parse_decimal)
        if c.has("quantity"):
            quantity = c.values.get("quantity")
            c.values["quantity"] = Decimal(1) if quantity is None else quantity.quantize(_CENT)
        return c.done()

    def key(self, values):
        return values.get("external_id") or (
            "line",
            values.get("opportunity_id"),
            values.get("product_id"),
        )

    def write(self, batch):
        counts = Counts()
        by_ext, by_deal = self._existing(batch)
        to_create, to_update, update_fields = [], [], set()
        for _number, values in batch:
            if values.get("external_id"):
                line = by_ext.get(values["external_id"])
            else:
                line = by_deal.get((values["opportunity_id"], values["product_id"]))
            if line is None:
                to_create.append(OpportunityProduct(**values))
                counts.created += 1
                self.touched.add(values["opportunity_id"])
                continue
            self.compare(line, list(values))
            changed = changed_fields(line, values)
            if changed:
                self.touched.update((line.opportunity_id, values["opportunity_id"]))
                for name in changed:
                    setattr(line, name, values[name])
                to_update.append(line)
                update_fields.update(changed)
                counts.updated += 1
            else:
                counts.unchanged += 1
        self.store(to_create, to_update, update_fields)
        return counts

    def _existing(self, batch) -> tuple[dict, dict]:
        """The batch's line items as they are: by external id, and by (deal, product) for
        the rows without one."""
        exts = [v["external_id"] for _, v in batch if v.get("external_id")]
        by_ext = {
            line.external_id: line
            for line in OpportunityProduct.objects.filter(external_id__in=exts)
        }
        deals = stored_ids({v["opportunity_id"] for _, v in batch if not v.get("external_id")})
        by_deal = {}
        for line in OpportunityProduct.objects.filter(opportunity_id__in=deals, external_id=None):
            by_deal[(line.opportunity_id, line.product_id)] = line
        return by_ext, by_deal

    def compare(self, line, fields) -> None:
        """``line`` as read, before a row compares its ``fields``."""

    def store(self, to_create, to_update, update_fields) -> None:
        if to_create:
            OpportunityProduct.objects.bulk_create(to_create, batch_size=2000)
        if to_update:
            OpportunityProduct.objects.bulk_update(
                to_update, sorted(update_fields), batch_size=2000
            )

    def finish(self):
        if self.touched:
            # Refreshing the deals' accounts also moves the sales version, so analyses
            # cached before (white space reads the open pipeline by product) are not used.
            accounts = Opportunity.objects.filter(pk__in=self.touched).values_list(
                "account_id", flat=True
            )
            rollup_refresh(account_ids=set(accounts))
        return []

    def export_rows(self, queryset):
        qs = queryset.select_related("opportunity", "product").order_by("pk")
        for line in qs.iterator(chunk_size=5000):
            yield [
                line.external_id or "",
                line.opportunity.external_id or "",
                line.product.external_id or line.product.name,
                str(line.amount),
                str(line.quantity),
            ]


def _find(c: Cleaner, column: str, index) -> int:
    if not c.raw(column):
        raise RowError(column, "", "is required")
    return index.find_or_error(column, c.raw(column))
