import django_tables2 as tables

from keyplan.people.models import User


class UserTable(tables.Table):
    username = tables.Column(linkify=("user_edit", {"pk": tables.A("pk")}))
    name = tables.Column(accessor="get_full_name", order_by=("last_name", "first_name"))
    team = tables.Column(order_by=("team__name",))
    manager = tables.Column(order_by=("manager__last_name",))
    weekly_hours = tables.Column(verbose_name="Hours / week")

    class Meta:
        model = User
        fields = (
            "username",
            "name",
            "title",
            "role",
            "team",
            "manager",
            "weekly_hours",
            "is_active",
        )
        order_by = ("username",)
