"""products: the catalogue, grouped in product lines."""

from decimal import Decimal

from keyplan.catalog.models import Product, ProductLine
from keyplan.imports.kinds.base import (
    Cleaner,
    Counts,
    Field,
    Index,
    New,
    RowError,
    WriteErrors,
    changed_fields,
)
from keyplan.imports.values import normalise_key, parse_bool, parse_decimal

_CENT = Decimal("0.01")


def product_index() -> Index:
    index = Index("product")
    for pk, external_id, name in Product.objects.values_list("pk", "external_id", "name"):
        index.add(pk, external_id, name)
    return index


class ProductsKind:
    name = "products"
    model = Product
    fields = (
        Field("external_id", "Id in the source system; the key for re-imports"),
        Field("name", "Product name", required=True),
        Field("product_line", "Product line name (created if new)"),
        Field("list_price", "List price"),
        Field("core", "Whether the product line is a core line (true/false)", label="Core line"),
        Field("active", "Whether the product is still sold (true/false)"),
    )
    export_fields = ("external_id", "name", "product_line", "list_price", "core", "active")

    def __init__(self, options):
        self.options = options
        self.index = product_index()
        self.lines = {normalise_key(pl.name): pl for pl in ProductLine.objects.all()}
        self.core_seen: dict[str, tuple[bool, int]] = {}

    def clean(self, row):
        c = Cleaner(row)
        c.string("name", max_length=200, required=True)
        if c.has("external_id"):
            c.values["external_id"] = c.raw("external_id")[:64] or None
        c.string("product_line", target="_line", max_length=120)
        if not c.values.get("_line"):
            c.values["_line"] = "Other"
        c.parsed("list_price", parse_decimal, minimum=0)
        if c.values.get("list_price") is not None:
            c.values["list_price"] = c.values["list_price"].quantize(_CENT)
        c.parsed("core", parse_bool, target="_core")
        c.parsed("active", parse_bool, target="is_active")
        if c.values.get("is_active") is None:
            c.values.pop("is_active", None)
        return c.done()

    def key(self, values):
        return values.get("external_id") or ("name", normalise_key(values["name"]))

    def _line(self, number: int, name: str, core) -> ProductLine:
        key = normalise_key(name)
        line = self.lines.get(key)
        if line is None:
            line = self.new_line(name, True if core is None else core)
            self.lines[key] = line
        if core is not None:
            seen = self.core_seen.get(key)
            if seen and seen[0] != core:
                raise RowError(
                    "core",
                    str(core).lower(),
                    f"row {seen[1]} says product line “{name}” is "
                    f"{'core' if seen[0] else 'not core'}; a line is one or the other",
                )
            self.core_seen[key] = (core, number)
            if line.is_core != core:
                self.set_core(line, core)
        return line

    def new_line(self, name: str, core: bool) -> ProductLine:
        return ProductLine.objects.create(name=name, is_core=core)

    def set_core(self, line: ProductLine, core: bool) -> None:
        line.is_core = core
        line.version += 1
        line.save(update_fields=["is_core", "version"])

    def write(self, batch):
        counts = Counts()
        errors = []
        find = self.products_of(batch)
        for number, values in batch:
            try:
                line = self._line(number, values["_line"], values.get("_core"))
            except RowError as exc:
                errors.append((number, exc))
                continue
            fields = {k: v for k, v in values.items() if not k.startswith("_")}
            fields["product_line_id"] = line.pk if line.pk is not None else New(line)
            if values.get("external_id"):
                pk = self.index.by_external.get(values["external_id"])
            else:
                try:
                    pk = self.index.find(values["name"])
                except LookupError as exc:
                    errors.append((number, RowError("name", values["name"], str(exc))))
                    continue
            product = find(pk)
            if product is None:
                product = Product(**fields)
                self.index.add(self.create(product), product.external_id, product.name)
                counts.created += 1
                continue
            self.compare(product)
            changed = changed_fields(product, fields)
            if changed:
                for name in changed:
                    setattr(product, name, fields[name])
                product.version += 1  # an API client holding the old version must reload
                self.update(product, changed)
                counts.updated += 1
            else:
                counts.unchanged += 1
        if errors:
            raise WriteErrors(errors, counts)
        return counts

    def products_of(self, batch):
        """How the rows of ``batch`` find the product an index's key stands for."""
        return lambda pk: Product.objects.filter(pk=pk).first() if pk else None

    def create(self, product):
        """A new product: its key (its id, once saved)."""
        product.save(force_insert=True)
        return product.pk

    def compare(self, product) -> None:
        """``product`` as read, before a row compares it."""

    def update(self, product, changed) -> None:
        product.save(update_fields=[*changed, "version"])

    def finish(self):
        return []

    def export_rows(self, queryset):
        for p in queryset.select_related("product_line").order_by("pk"):
            yield [
                p.external_id or "",
                p.name,
                p.product_line.name,
                "" if p.list_price is None else str(p.list_price),
                "true" if p.product_line.is_core else "false",
                "true" if p.is_active else "false",
            ]
