from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from keyplan.core.views import ObjectListView
from keyplan.people.filtersets import UserFilterSet
from keyplan.people.forms import TeamForm, UserForm
from keyplan.people.models import Team, User
from keyplan.people.permissions import settings_managers_only
from keyplan.people.tables import UserTable


@method_decorator(settings_managers_only, name="dispatch")
class UserListView(ObjectListView):
    """The people of our sales organisation, for admins and sales ops to manage."""

    model = User
    filterset_class = UserFilterSet
    table_class = UserTable
    related = ("team", "manager")
    visible_to_all = True
    nav = "people"
    title = "People"
    template_name = "people/user_list.html"


@require_http_methods(["GET", "POST"])
@settings_managers_only
def user_edit(request, pk: int | None = None):
    user = get_object_or_404(User, pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"{saved.username} saved.")
        return redirect("user_list")
    teams = Team.objects.select_related("manager").order_by("name")
    return render(
        request,
        "people/user_form.html",
        {"form": form, "person": user, "nav": "people", "teams": teams},
    )


@require_http_methods(["GET", "POST"])
@settings_managers_only
def team_edit(request, pk: int | None = None):
    team = get_object_or_404(Team, pk=pk) if pk else None
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"Team {saved} saved.")
        return redirect("user_list")
    return render(request, "people/team_form.html", {"form": form, "team": team, "nav": "people"})
