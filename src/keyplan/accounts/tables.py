import django_tables2 as tables

from keyplan.accounts.models import Account, Contact


class AccountTable(tables.Table):
    name = tables.Column(linkify=True)
    external_id = tables.Column(verbose_name="External id")
    kind = tables.Column(verbose_name="Level")
    parent = tables.Column(linkify=True, order_by=("parent__name",))
    owner = tables.Column(order_by=("owner__last_name", "owner__first_name"))
    employees = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    annual_revenue = tables.Column(
        verbose_name="Company revenue", attrs={"td": {"class": "num"}, "th": {"class": "num"}}
    )

    class Meta:
        model = Account
        fields = (
            "name",
            "external_id",
            "kind",
            "parent",
            "industry",
            "country",
            "owner",
            "employees",
            "annual_revenue",
        )
        order_by = ("name",)
        empty_text = "No accounts match these filters."

    def render_employees(self, value):
        return f"{value:,}"

    def render_annual_revenue(self, value):
        return f"{value:,.0f}"


class ContactTable(tables.Table):
    name = tables.Column(linkify=True, order_by=("last_name", "first_name"))
    account = tables.Column(linkify=True, order_by=("account__name",))
    reports_to = tables.Column(linkify=True, order_by=("reports_to__last_name",))
    relationship_owner = tables.Column(verbose_name="Relationship held by", orderable=False)

    class Meta:
        model = Contact
        fields = (
            "name",
            "title",
            "account",
            "seniority",
            "decision_role",
            "attitude",
            "relationship_strength",
            "relationship_owner",
            "reports_to",
            "is_active",
        )
        order_by = ("name",)
        empty_text = "No contacts match these filters."
