import django_tables2 as tables
from django.db.models import F
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from keyplan.sales.models import Opportunity

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class OpportunityTable(tables.Table):
    name = tables.Column(linkify=True)
    account = tables.Column(linkify=True, order_by=("account__name",))
    product = tables.Column(order_by=("product__name",))
    status = tables.Column()
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
        # On a phone each deal is a block: its name, then every figure named (the stage,
        # amount and close date would otherwise sit off-screen in a sideways table).
        attrs = {"class": "stack-on-phone"}
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

    def render_status(self, record):
        """The status badge, and "Overdue" when still open after its close date (the same
        as sales/_overdue.html; built here, not through a template for every row)."""
        overdue = (
            mark_safe(
                ' <span class="badge overdue" title="Still open after its expected close '
                'date" data-testid="overdue">⚠ Overdue</span>'
            )
            if record.is_overdue
            else ""
        )
        return format_html(
            '<span class="badge {}">{}</span>{}',
            record.status,
            record.get_status_display(),
            overdue,
        )

    def render_amount(self, value):
        return f"{value:,.0f}"
