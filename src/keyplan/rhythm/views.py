"""The person's own settings page (time zone, email, calendar feed) and the feed."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from keyplan.rhythm import services
from keyplan.rhythm.choices import EmailKind
from keyplan.rhythm.feed import DAYS_AHEAD, DAYS_BACK, absolute, calendar_ics
from keyplan.rhythm.forms import PersonalSettingsForm

# The page opens at the calendar card (#calendar), below the top of the page where
# messages usually show: the card shows these itself (base.html leaves them out).
IN_CARD = "in-page"


def _feed_url(token: str | None) -> str | None:
    return absolute(reverse("calendar_feed", args=[token])) if token else None


def my_settings(request):
    current = services.settings_for(request.user)
    initial = {"time_zone": current.time_zone} | {k.value: current.delivery(k) for k in EmailKind}
    if request.method == "POST":
        form = PersonalSettingsForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                services.settings_save(
                    user=request.user,
                    time_zone=form.cleaned_data["time_zone"],
                    deliveries={k.value: form.cleaned_data[k.value] for k in EmailKind},
                )
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, problems)
            else:
                messages.success(request, "Your settings are saved.")
                return redirect("my_settings")
    else:
        form = PersonalSettingsForm(initial=initial)
    token = services.calendar_token(request.user)
    return render(
        request,
        "rhythm/settings.html",
        {
            "form": form,
            "feed_url": _feed_url(token),
            "feed_lost": current.calendar_token_hash is not None and token is None,
            # In the person's own time zone, named: they chose it on this page.
            "feed_created": current.calendar_created_at,
            "zone": current.zone,
            "zone_name": current.time_zone or settings.TIME_ZONE,
            "days_back": DAYS_BACK,
            "months_ahead": DAYS_AHEAD * 12 // 365,
            "has_email": bool(request.user.email),
            "digest_hour": f"{settings.KEYPLAN_DIGEST_HOUR:02d}",
            "api_tokens": request.user.api_tokens.count(),
            "nav": "settings",
        },
    )


@require_POST
def calendar_regenerate(request):
    had = services.settings_for(request.user).calendar_token_hash is not None
    services.calendar_regenerate(user=request.user)
    messages.success(
        request,
        "Your calendar has a new address; the old one no longer works: subscribe again with "
        "this one."
        if had
        else "Your calendar address is ready: subscribe to it in your calendar application.",
        extra_tags=IN_CARD,
    )
    return redirect(reverse("my_settings") + "#calendar")


@require_POST
def calendar_revoke(request):
    services.calendar_revoke(user=request.user)
    messages.success(request, "Your calendar address no longer works.", extra_tags=IN_CARD)
    return redirect(reverse("my_settings") + "#calendar")


@login_not_required
@require_GET
def calendar_feed(request, token: str):
    """The feed itself: the secret in the address is the only credential (calendar
    applications cannot sign in); anything else is a 404, saying nothing."""
    person = services.calendar_owner(token)
    if person is None:
        raise Http404("No such calendar.")
    response = HttpResponse(calendar_ics(person), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="keyplan.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
