from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods

from keyplan.core.views import ObjectListView
from keyplan.core.words import plural
from keyplan.people.filtersets import UserFilterSet
from keyplan.people.forms import TeamForm, TokenNameForm, UserForm
from keyplan.people.lockout import active_locks, unlock_sign_in
from keyplan.people.models import ApiToken, Team, User
from keyplan.people.permissions import settings_managers_only
from keyplan.people.tables import UserTable
from keyplan.people.tokens import (
    TOKENS_KEPT,
    token_expired,
    token_expires,
    token_issue,
    token_label,
    token_oldest_ended_by_next,
    token_revoke,
    token_words,
    tokens_of,
)

# The session key under which the key of a token just made waits for the page that shows it.
NEW_TOKEN_KEY = "keyplan_new_api_token"


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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locks = active_locks()
        people = User.objects.in_bulk([lock.username for lock in locks], field_name="username")
        context["locked_people"] = [(lock, people.get(lock.username)) for lock in locks]
        return context


@require_http_methods(["GET", "POST"])
@settings_managers_only
def user_edit(request, pk: int | None = None):
    user = get_object_or_404(User, pk=pk) if pk else None
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, f"{saved} saved.")
        return redirect("user_list")
    teams = Team.objects.select_related("manager").order_by("name")
    context = {"form": form, "person": user, "nav": "people", "teams": teams}
    if user is not None:
        context.update(_sign_in_state(user))
    return render(request, "people/user_form.html", context)


def _sign_in_state(user) -> dict:
    """What an administrator sees of a person's sign-in: locks in force, the API tokens
    (when each was issued and expires; never the key, which keyplan does not keep)."""
    now = timezone.now()
    return {
        "locks": active_locks(usernames=[user.username]),
        "api_tokens": [
            {
                "prefix": token.prefix,
                "created": token.created,
                "expires": token_expires(token),
                "expired": token_expired(token, at=now),
            }
            for token in tokens_of(user=user)
        ],
    }


@require_http_methods(["POST"])
@settings_managers_only
def user_unlock(request, pk: int):
    """Lifts a lockout after too many wrong passwords, before its time is up."""
    user = get_object_or_404(User, pk=pk)
    if unlock_sign_in(username=user.username):
        messages.success(request, f"{user} can sign in again.")
    else:
        messages.info(request, f"{user} was not locked out.")
    return redirect("user_edit", pk=user.pk)


@require_http_methods(["POST"])
@settings_managers_only
def user_revoke_token(request, pk: int):
    """Ends a person's API tokens at once (a lost laptop, a script that leaked one)."""
    user = get_object_or_404(User, pk=pk)
    if revoked := token_revoke(user=user):
        messages.success(request, f"{plural(revoked, 'API token')} of {user} revoked.")
    else:
        messages.info(request, f"{user} had no API token.")
    return redirect("user_edit", pk=user.pk)


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


def _my_tokens_page(request, *, form=None, new=None, status=200):
    """The person's own API tokens; ``new`` is (token, key) of the one just made, whose
    key this answer shows for the only time."""
    tokens = tokens_of(user=request.user)
    context = {
        "tokens": [token_words(t) for t in tokens],
        "form": form or TokenNameForm(),
        "days": settings.KEYPLAN_API_TOKEN_DAYS,
        "kept": TOKENS_KEPT,
        "ended_next": token_oldest_ended_by_next(tokens),
        "nav": "settings",
    }
    if new is not None:
        token, key = new
        context["new_key"] = key
        context["new"] = token_words(token)
    response = render(request, "people/my_tokens.html", context, status=status)
    # The key must not stay in a cache (the browser's or a proxy's).
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def my_password(request):
    """The signed-in person changes their own password (the old one asked first). This
    browser stays signed in; their other sessions and every API token they hold end with
    the old password."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        tokens = ApiToken.objects.filter(user=request.user).count()
        user = form.save()
        update_session_auth_hash(request, user)
        ended = (
            f" Your {plural(tokens, 'API token')} ended with the old password: make new "
            "ones for your scripts."
            if tokens
            else ""
        )
        messages.success(
            request, f"Your password is changed; your other sessions are signed out.{ended}"
        )
        return redirect("my_settings")
    return render(request, "people/my_password.html", {"form": form, "nav": "settings"})


@require_http_methods(["GET"])
def my_tokens(request):
    """The signed-in person's API tokens: made, last used, expiry; make or revoke one."""
    new = None
    if made := request.session.pop(NEW_TOKEN_KEY, None):
        token = ApiToken.objects.filter(pk=made[0], user=request.user).first()
        new = (token, made[1]) if token is not None else None
    return _my_tokens_page(request, new=new)


@require_http_methods(["POST"])
def my_token_new(request):
    """Make a token for the signed-in person and show its key, this once."""
    form = TokenNameForm(request.POST)
    if not form.is_valid():
        return _my_tokens_page(request, form=form, status=400)
    token, key = token_issue(user=request.user, name=form.cleaned_data["name"])
    # Shown by the page the browser is sent to, once (taken out of the session as it is
    # shown): reloading that page neither shows the key again nor makes another token.
    request.session[NEW_TOKEN_KEY] = [token.pk, key]
    return redirect("my_tokens")


@require_http_methods(["GET", "POST"])
def my_token_revoke(request, pk: int):
    """Revoke one of the signed-in person's tokens, after a confirmation that says what
    it ends. Another person's token is not found (404), whoever asks."""
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "POST":
        token_revoke(user=request.user, token=token)
        messages.success(
            request,
            f"API token {token_label(token)} revoked: a script or integration that "
            "sends it is refused from now on.",
        )
        return redirect("my_tokens")
    return render(
        request,
        "people/my_token_revoke.html",
        {"t": token_words(token), "label": token_label(token), "nav": "settings"},
    )
