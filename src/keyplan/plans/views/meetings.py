"""Executive meeting requests: asking from a plan's pairings or the executive program,
the request's page (where the executive accepts or declines and the asker withdraws),
and the briefing (page and PDF). The rules are the services' and ``plans.permissions``';
the reads are ``plans.meetings``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyplan.core import words
from keyplan.plans import services
from keyplan.plans.choices import MeetingStatus
from keyplan.plans.meeting_forms import MeetingAcceptForm, MeetingAskForm
from keyplan.plans.meetings import briefing, meeting_or_404, sees_plan
from keyplan.plans.models import ExecutivePairing
from keyplan.plans.permissions import (
    meeting_answer_refusal,
    meeting_ask_refusal,
    meeting_withdraw_refusal,
)
from keyplan.plans.views.common import add_errors, visible_plan


@require_http_methods(["GET", "POST"])
def meeting_ask_view(request, pk: int):
    """Ask one of our executives for a meeting on the plan (from a pairing: its leaders
    chosen already)."""
    plan = visible_plan(request, pk)
    refusal = meeting_ask_refusal(request.user, plan)
    if refusal:
        raise PermissionDenied(refusal)
    raw = request.POST.get("pairing") or request.GET.get("pairing") or ""
    pairing = None
    if raw.isdigit() and len(raw) <= 12:
        pairing = (
            ExecutivePairing.objects.filter(plan=plan, pk=int(raw))
            .select_related("our_executive", "their_executive")
            .first()
        )
    initial = {}
    if pairing is not None:
        initial = {
            "executive": pairing.our_executive_id,
            "contacts": [pairing.their_executive_id],
            "pairing": pairing.pk,
        }
    form = MeetingAskForm(
        request.POST or None, plan=plan, user=request.user, pairing=pairing, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_request(
                plan=plan,
                user=request.user,
                executive=data["executive"],
                contacts=list(data["contacts"]),
                purpose=data["purpose"],
                wished_from=data["wished_from"],
                wished_until=data["wished_until"],
                pairing=pairing,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request,
                f"Asked {meeting.executive} for a meeting: they will accept with a date or "
                "decline, and you will hear of it.",
            )
            return redirect(meeting.get_absolute_url())
    return render(
        request,
        "plans/meeting_ask.html",
        {"nav": "plans", "plan": plan, "form": form, "pairing": pairing},
    )


@require_GET
def meeting_detail_view(request, pk: int):
    meeting = meeting_or_404(request.user, pk)
    return render(request, "plans/meeting_detail.html", _detail_context(request, meeting))


def _detail_context(request, meeting, accept_form=None) -> dict:
    """The request's page; ``accept_form`` bound to what the executive typed when their
    answer was refused, so the day, time and place are there to correct."""
    user = request.user
    may_answer = meeting_answer_refusal(user, meeting) is None and meeting.is_open
    may_withdraw = meeting.is_open and meeting_withdraw_refusal(user, meeting) is None
    passed = meeting.starts_at is not None and meeting.starts_at <= timezone.now()
    if accept_form is None:
        accept_form = MeetingAcceptForm(
            initial={
                "version": meeting.version,
                "minutes": meeting.minutes,
                "place": meeting.place,
                "day": timezone.localtime(meeting.starts_at).date()
                if meeting.starts_at
                else meeting.wished_from,
                "time": timezone.localtime(meeting.starts_at).time() if meeting.starts_at else "",
            }
        )
    return {
        "nav": "plans",
        "meeting": meeting,
        "plan": meeting.plan,
        "contacts": words.names(meeting.contacts.all()),
        "sees_plan": sees_plan(user, meeting),
        "may_answer": may_answer and not passed,
        "may_withdraw": may_withdraw and not passed,
        "may_record_held": meeting.status == MeetingStatus.ACCEPTED
        and passed
        and (meeting.executive_id == user.pk or may_withdraw),
        "accept_form": accept_form,
    }


@require_POST
def meeting_respond_view(request, pk: int):
    """accept / decline (the executive asked), withdraw (the asker), held (either)."""
    meeting = meeting_or_404(request.user, pk)
    decision = request.POST.get("decision", "")
    version = request.POST.get("version") or None
    try:
        if decision == "accept":
            form = MeetingAcceptForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    [f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()]
                )
            meeting = services.meeting_accept(
                meeting=meeting,
                user=request.user,
                starts_at=form.starts_at(),
                minutes=form.cleaned_data["minutes"],
                place=form.cleaned_data["place"],
                version=version,
            )
            done = f"Accepted: {words.moment(meeting.starts_at)}. The invitation is on its way."
        elif decision == "decline":
            meeting = services.meeting_decline(
                meeting=meeting,
                user=request.user,
                reason=request.POST.get("reason", ""),
                version=version,
            )
            done = (
                "Cancelled: the asker is told why, and the calendars drop it."
                if meeting.was_cancelled
                else "Declined; the asker is told why."
            )
        elif decision == "withdraw":
            services.meeting_withdraw(
                meeting=meeting,
                user=request.user,
                reason=request.POST.get("reason", ""),
                version=version,
            )
            done = "Withdrawn."
        elif decision == "held":
            services.meeting_held(
                meeting=meeting,
                user=request.user,
                notes=request.POST.get("notes", ""),
                version=version,
            )
            done = "Recorded as held."
        else:
            raise ValidationError("Choose accept, decline, withdraw or held.")
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        if decision == "accept" and not request.POST.get("next"):
            # Refused on its own page: shown again with the day, time and place typed.
            meeting = meeting_or_404(request.user, pk)
            typed = request.POST.copy()
            typed["version"] = meeting.version
            context = _detail_context(request, meeting, MeetingAcceptForm(typed))
            return render(request, "plans/meeting_detail.html", context)
    else:
        messages.success(request, done)
    back = request.POST.get("next", "")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect(meeting.get_absolute_url())


def _briefing_for(request, pk: int):
    meeting = meeting_or_404(request.user, pk)
    if not sees_plan(request.user, meeting):
        # The briefing is the plan: the executive asked who cannot see the account reads
        # the request, not the plan.
        from django.http import Http404

        raise Http404("No such briefing.")
    meeting.plan = visible_plan(request, meeting.plan_id)
    return briefing(meeting, request.user)


@require_GET
def meeting_briefing_view(request, pk: int):
    brief = _briefing_for(request, pk)
    return render(
        request,
        "plans/meeting_briefing.html",
        {
            "nav": "plans",
            "brief": brief,
            "meeting": brief.meeting,
            "plan": brief.plan,
            "doc": brief.document,
            "contacts": words.names(brief.meeting.contacts.all()),
        },
    )


@require_GET
def meeting_briefing_pdf_view(request, pk: int):
    from keyplan.outputs import pdf, tables
    from keyplan.outputs.content import file_name

    brief = _briefing_for(request, pk)
    html = render_to_string(
        "plans/meeting_briefing_pdf.html",
        {
            "brief": brief,
            "meeting": brief.meeting,
            "doc": brief.document,
            "glance": pdf.table_context(tables.at_a_glance(brief.document)),
            "contacts": words.names(brief.meeting.contacts.all()),
        },
    )
    response = HttpResponse(pdf.pdf_of(html), content_type="application/pdf")
    stem = file_name(f"Briefing {brief.document.account_name}", "briefing")
    response["Content-Disposition"] = f'attachment; filename="{stem}.pdf"'
    return response
