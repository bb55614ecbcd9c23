import django_tables2 as tables

from keyplan.sales.models import Opportunity

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class OpportunityTable(tables.Table):
    name = tables.Column(linkify=True)
    account = tables.Column(linkify=True, order_by=("account__name",))
    product = tables.Column(order_by=("product__name",))
    status = tables.TemplateColumn(
        '<span class="badge {{ record.status }}">{{ record.get_status_display }}</span>'
    )
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
        order_by = ("close_date",)
        empty_text = "No opportunities match these filters."

    def render_amount(self, value):
        return f"{value:,.0f}"
