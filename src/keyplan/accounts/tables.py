import django_tables2 as tables
from django.utils.html import format_html

from keyplan.accounts.models import Account, Contact


class AccountTable(tables.Table):
    name = tables.Column(linkify=True)
    external_id = tables.Column(verbose_name="External id")
    kind = tables.Column(verbose_name="Level")
    parent = tables.Column(order_by=("parent__name",))
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

    def render_parent(self, value, record):
        """The parent as a link when the person may open it, else its name: another
        rep's parent account is named, never a link to a page that answers 404."""
        seen = getattr(self, "_parents_seen", None)
        if seen is None:
            rows = self.page.object_list if getattr(self, "page", None) else self.rows
            ids = {r.record.parent_id for r in rows if r.record.parent_id}
            user = getattr(getattr(self, "request", None), "user", None)
            visible = Account.objects.filter(pk__in=ids)
            seen = self._parents_seen = set(
                (visible if user is None else visible.visible_to(user)).values_list("pk", flat=True)
            )
        if value.pk in seen:
            return format_html('<a href="{}">{}</a>', value.get_absolute_url(), value.name)
        return value.name

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
