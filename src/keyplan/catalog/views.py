from keyplan.catalog.filtersets import ProductFilterSet
from keyplan.catalog.models import Product
from keyplan.catalog.tables import ProductTable
from keyplan.core.views import ObjectListView


class ProductListView(ObjectListView):
    """The product catalogue: the same for everyone."""

    model = Product
    filterset_class = ProductFilterSet
    table_class = ProductTable
    related = ("product_line",)
    visible_to_all = True
    nav = "products"
    title = "Product catalogue"
    per_page = 100
