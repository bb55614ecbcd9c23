import django_tables2 as tables

from keyplan.catalog.models import Product


class ProductTable(tables.Table):
    product_line = tables.Column(order_by=("product_line__name",))
    core = tables.BooleanColumn(accessor="product_line__is_core", verbose_name="Core line")
    list_price = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta:
        model = Product
        fields = ("name", "external_id", "product_line", "core", "list_price", "is_active")
        order_by = ("product_line", "name")
        empty_text = "No products match these filters."

    def render_list_price(self, value):
        return f"{value:,.2f}"
