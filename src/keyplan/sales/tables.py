import django_tables2 as tables
from django.db.models import F

from keyplan.sales.models import Opportunity

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class OpportunityTable(tables.Table):
    name = tables.Column(linkify=True)
    account = tables.Column(linkify=True, order_by=("account__name",))
    product = tables.Column(order_by=("product__name",))
    status = tables.TemplateColumn(template_name="sales/_status_cell.html")
    amount = tables.Column(attrs=NUM)
    probability = tables.Column(verbose_name="Prob. %", attrs=NUM)
    owner = tables.Column(order_by=("owner__last_name",))

    class Meta:
        model = Opportunity
        fields = (
            "name",
            "account",
            "product",
            "stage",
            "status",
            "amount",
            "probability",
            "close_date",
            "owner",
        )
        # Latest close date first: the deals a rep is working on now and next, not the
        # oldest history.
        order_by = ("-close_date",)
        empty_text = "No opportunities match these filters."

    def order_close_date(self, queryset, is_descending):
        # Unknown close dates last in both directions, on SQLite and PostgreSQL alike
        # (PostgreSQL puts NULLs first when sorting descending); pk keeps pages stable.
        close = (
            F("close_date").desc(nulls_last=True)
            if is_descending
            else F("close_date").asc(nulls_last=True)
        )
        return queryset.order_by(close, "-pk" if is_descending else "pk"), True

    def render_amount(self, value):
        return f"{value:,.0f}"
