"""The customer's page of a shared plan, and the owner's pages to share and revoke.

The customer's page is outside the staff login: the signed link is the key. A link that
is unknown, forged, expired or revoked answers Django's ordinary 404 page, so the answer
says nothing about which it was. Every request through a link is counted per address
and per link (429 past the limits) and every visit is logged."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from keyplan.audit.context import client_address
from keyplan.mutual import limits, selectors, services
from keyplan.mutual.choices import AccessEvent
from keyplan.mutual.forms import ShareForm
from keyplan.mutual.links import open_share
from keyplan.mutual.models import PlanShare
from keyplan.plans.permissions import edit_refusal
from keyplan.plans.views.common import visible_plan

SESSION_KEY = "keyplan-mutual-{}"
PENDING_KEY = "keyplan-mutual-pending-{}"


def _limited(request, token: str, share: PlanShare | None):
    address = client_address(request) or "unknown"
    over = limits.over(f"ip:{address}", limits.PER_ADDRESS)
    if share is not None:
        over = limits.over(f"link:{share.pk}", limits.PER_LINK) or over
    if not over:
        return None
    response = render(
        request,
        "mutual/plain.html",
        {"site_name": settings.KEYPLAN_SITE_NAME, "title": "Please wait", "text": limits.MESSAGE},
        status=429,
    )
    response["Retry-After"] = "300"
    return response


def _signed_in_contact(request, share: PlanShare):
    contact_id = request.session.get(SESSION_KEY.format(share.pk))
    if contact_id is None:
        return None
    return share.recipients.filter(pk=contact_id, is_active=True).first()


def _visitor(request, contact) -> services.Visitor:
    return services.Visitor(
        contact,
        client_address(request) or "",
        request.META.get("HTTP_USER_AGENT", ""),
    )


def _named(request, share: PlanShare):
    """On a link without a code, the person names themselves on each form (one of the
    people it is shared with)."""
    raw = request.POST.get("contact", "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    return share.recipients.filter(pk=int(raw), is_active=True).first()


def _day(raw: str) -> date | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            {"due_date": [f"“{raw[:20]}” is not a day, e.g. 2027-03-31."]}
        ) from None


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {k: list(v) for k, v in exc.message_dict.items()}
    return {"__all__": list(exc.messages)}


def _page(request, share, *, contact, errors=None, posted=None, status=200):
    context = {
        "site_name": settings.KEYPLAN_SITE_NAME,
        "share": share,
        "contact": contact,
        "errors": errors or {},
        "posted": posted or {},
        "path": request.path,
    }
    if share.requires_code and contact is None:
        context["pending"] = request.session.get(PENDING_KEY.format(share.pk), "")
        return render(request, "mutual/sign_in.html", context, status=status)
    context["view"] = selectors.customer_view(share)
    return render(request, "mutual/customer.html", context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def customer_page(request, token: str):
    share = open_share(token)
    limited = _limited(request, token, share)
    if limited is not None:
        return limited
    if share is None:
        raise Http404
    contact = _signed_in_contact(request, share) if share.requires_code else None
    if request.method == "GET":
        services.log_access(
            share=share, visitor=_visitor(request, contact), event=AccessEvent.OPENED
        )
        return _page(request, share, contact=contact)
    return _customer_post(request, share, contact)


def _customer_post(request, share: PlanShare, contact):
    do = request.POST.get("do", "")
    posted = {k: request.POST.get(k, "")[:3000] for k in ("comment", "title", "due_date", "email")}
    posted["item"] = request.POST.get("item", "")
    if share.requires_code and contact is None:
        return _sign_in_post(request, share, do, posted)
    who = contact if share.requires_code else _named(request, share)
    visitor = _visitor(request, who)
    item = request.POST.get("item", "")
    item_id = int(item) if item.isdigit() and len(item) <= 18 else None
    try:
        if do in ("confirm", "comment"):
            services.goal_respond(
                share=share,
                goal_id=item_id,
                visitor=visitor,
                confirm=do == "confirm",
                comment=request.POST.get("comment", "") if do == "comment" else "",
            )
            done = (
                "Thank you: your confirmation is recorded."
                if do == "confirm"
                else ("Thank you: your comment is recorded.")
            )
        elif do == "done":
            action = services.action_done(share=share, action_id=item_id, visitor=visitor)
            done = f"“{action.title}” is marked done."
        elif do == "add":
            added = services.customer_action_add(
                share=share,
                visitor=visitor,
                title=request.POST.get("title", ""),
                due_date=_day(request.POST.get("due_date", "")),
            )
            done = f"“{added.title}” is added to the plan."
        elif do == "own_done":
            own = services.customer_action_done(share=share, item_id=item_id, visitor=visitor)
            done = f"“{own.title}” is marked done."
        elif do == "sign_out" and share.requires_code:
            request.session.pop(SESSION_KEY.format(share.pk), None)
            return redirect(request.path)
        else:
            raise ValidationError("This form was not understood; reload the page and try again.")
    except ValidationError as exc:
        return _page(
            request, share, contact=contact, errors=_errors(exc), posted=posted, status=400
        )
    messages.success(request, done)
    return redirect(request.path)


def _sign_in_post(request, share: PlanShare, do: str, posted: dict):
    visitor = _visitor(request, None)
    pending = PENDING_KEY.format(share.pk)
    if do == "send_code":
        email = request.POST.get("email", "").strip()[:254]
        if not email:
            return _page(
                request,
                share,
                contact=None,
                errors={"email": ["Enter the email address the plan was shared with."]},
                posted=posted,
                status=400,
            )
        if limits.over(f"codes:{share.pk}", limits.CODES_SENT_PER_LINK):
            return _limited_codes(request)
        try:
            services.code_send(
                share=share, email=email, visitor=visitor, site_name=settings.KEYPLAN_SITE_NAME
            )
        except services.CodeNotSent as exc:
            return _page(
                request,
                share,
                contact=None,
                errors={"__all__": [str(exc)]},
                posted=posted,
                status=503,
            )
        request.session[pending] = email
        messages.success(
            request,
            "If this address is one the plan was shared with, a code is on its way. "
            f"It works once, for {services.CODE_MINUTES} minutes.",
        )
        return redirect(request.path)
    if do == "sign_in":
        if limits.over(f"tries:{share.pk}", limits.CODES_TRIED_PER_LINK):
            return _limited_codes(request)
        try:
            contact = services.code_check(
                share=share,
                email=request.session.get(pending, ""),
                code=request.POST.get("code", "")[:20],
                visitor=visitor,
            )
        except ValidationError as exc:
            return _page(
                request, share, contact=None, errors=_errors(exc), posted=posted, status=400
            )
        request.session.cycle_key()
        request.session[SESSION_KEY.format(share.pk)] = contact.pk
        request.session.pop(pending, None)
        return redirect(request.path)
    if do == "restart":
        request.session.pop(pending, None)
        return redirect(request.path)
    return _page(
        request,
        share,
        contact=None,
        errors={"__all__": ["Sign in with the code sent to you by email first."]},
        posted=posted,
        status=400,
    )


def _limited_codes(request):
    response = render(
        request,
        "mutual/plain.html",
        {
            "site_name": settings.KEYPLAN_SITE_NAME,
            "title": "Please wait",
            "text": "Too many codes were asked for or tried on this link. "
            "Wait a quarter of an hour, then ask for a new code.",
        },
        status=429,
    )
    response["Retry-After"] = "900"
    return response


# -- the owner's side -----------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def share_new_view(request, pk: int):
    plan = visible_plan(request, pk)
    reason = edit_refusal(request.user, plan)
    if reason:
        raise PermissionDenied(reason)
    form = ShareForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.share_create(plan=plan, user=request.user, **data)
        except ValidationError as exc:
            for field, errors in _errors(exc).items():
                for error in errors:
                    form.add_error(None if field == "__all__" else field, error)
        else:
            messages.success(
                request,
                "The plan is shared: copy the link from “Shared with the customer” and send "
                "it to them.",
            )
            return redirect(f"{plan.get_absolute_url()}#shared")
    return render(
        request,
        "mutual/share_form.html",
        {"plan": plan, "form": form, "nav": "plans"},
        status=400 if form.errors else 200,
    )


@require_POST
def share_revoke_view(request, pk: int, share: int):
    plan = visible_plan(request, pk)
    item = get_object_or_404(PlanShare, plan=plan, pk=share)
    try:
        services.share_revoke(share=item, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The link “{item}” is revoked: it no longer opens.")
    return redirect(f"{plan.get_absolute_url()}#shared")
