from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from keyplan.accounts.models import Account
from keyplan.plans import selectors, services
from keyplan.plans.choices import PlanStatus
from keyplan.plans.forms import SECTION_FORMS, PlanCreateForm
from keyplan.plans.models import AccountPlan, Notification
from keyplan.plans.permissions import can_create_plan
from keyplan.plans.services.plan import default_period, previous_plan
from keyplan.plans.views.common import (
    add_errors,
    form_response,
    plan_context,
    plan_response,
    refusals_as_messages,
    visible_plan,
)
from keyplan.plans.views.sections import section_saved_response

PLANS_PER_PAGE = 50


@require_http_methods(["GET"])
def plan_list(request):
    """The plans the user can see: theirs first by default, filterable by status."""
    plans = AccountPlan.objects.visible_to(request.user).select_related("account", "owner")
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    mine = request.GET.get("mine") == "1"
    if mine:
        plans = plans.filter(owner=request.user)
    query = " ".join(request.GET.get("q", "").split())
    if query:
        plans = plans.filter(account__name__icontains=query)
    page = Paginator(
        plans.order_by("-period_start", "account__name", "pk"), PLANS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/plan_list.html",
        {
            "nav": "plans",
            "page": page,
            "status": status,
            "mine": mine,
            "q": query,
            "statuses": PlanStatus.choices,
        },
    )


@require_http_methods(["GET", "POST"])
def plan_create_view(request, account_pk: int):
    account = get_object_or_404(
        Account.objects.visible_to(request.user).select_related("owner"), pk=account_pk
    )
    if not can_create_plan(request.user, account):
        raise PermissionDenied(
            f"Only {account}'s owner, its account team and the owner's manager start its plan."
        )
    previous = previous_plan(account)
    start, end = default_period()
    form = PlanCreateForm(
        request.POST or None,
        account=account,
        previous=previous,
        initial={
            "period_start": start,
            "period_end": end,
            "covered_accounts": list(account.children.values_list("pk", flat=True)[:500]),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            plan = services.plan_create(
                account=account,
                user=request.user,
                carry_forward=data.pop("carry_forward", False),
                covered_accounts=list(data.pop("covered_accounts")),
                **data,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, f"Plan for {account} created as a draft.")
            return redirect(plan)
    # The facts beside the goal fields: what the account buys now and could buy.
    from keyplan.accounts.models import AccountLineage

    facts = selectors.account_facts(
        account,
        list(
            AccountLineage.objects.filter(ancestor=account).values_list("descendant_id", flat=True)
        ),
    )
    return render(
        request,
        "plans/plan_create.html",
        {"nav": "plans", "account": account, "form": form, "previous": previous, "facts": facts},
    )


@require_http_methods(["GET"])
def plan_detail(request, pk: int):
    plan = visible_plan(request, pk)
    return render(request, "plans/plan_detail.html", plan_context(request, plan))


@require_http_methods(["GET", "POST"])
@refusals_as_messages
def plan_section_view(request, pk: int, section: str):
    """Edit one section of the plan itself in place: basics, insights, research, proposal."""
    plan = visible_plan(request, pk)
    form_class = SECTION_FORMS.get(section)
    if form_class is None:
        raise PermissionDenied("No such section.")
    if request.method == "POST":
        services.common.require_edit(request.user, plan)
        form = form_class(request.POST, instance=AccountPlan.objects.get(pk=plan.pk), plan=plan)
        if form.is_valid():
            values = form.values()
            m2m = {k: list(values.pop(k)) for k in ("team", "covered_accounts") if k in values}
            try:
                services.plan_update(
                    plan=plan,
                    user=request.user,
                    version=form.cleaned_data.get("version"),
                    **values,
                    **m2m,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                return section_saved_response(request, plan, section, form.changed_data)
    else:
        services.common.require_edit(request.user, plan)
        form = form_class(instance=plan, plan=plan)
    slot = f"slot-section-{section}"
    return form_response(
        request,
        "plans/_form.html",
        {
            "plan": plan,
            "form": form,
            "slot": slot,
            "title": f"Edit {section}",
            "action": request.path,
            "nav": "plans",
            # Marks the form as one for the plan's own fields (it carries the plan's
            # version), so a save of another section can keep it current in the page.
            "section": section,
        },
        slot,
    )


@require_POST
@refusals_as_messages
def plan_status_view(request, pk: int):
    plan = visible_plan(request, pk)
    action = request.POST.get("action")
    if action == "activate":
        services.plan_activate(plan=plan, user=request.user)
        messages.success(request, "The plan is active.")
    elif action == "archive":
        services.plan_archive(plan=plan, user=request.user)
        messages.success(request, "The plan is archived; it stays readable.")
    else:
        raise ValidationError(f"Unknown action “{action}”.")
    return redirect(plan)


@require_POST
@refusals_as_messages
def plan_opportunity_view(request, pk: int):
    """Count an open opportunity of the plan's accounts in its pipeline, or stop."""
    from keyplan.sales.models import Opportunity

    plan = visible_plan(request, pk)
    raw = request.POST.get("opportunity", "")
    opportunity = (
        Opportunity.objects.visible_to(request.user).filter(pk=int(raw)).first()
        if raw.isdigit() and len(raw) <= 12
        else None
    )
    if opportunity is None:
        raise ValidationError("That opportunity does not exist or you cannot see it.")
    services.plan_link_opportunity(
        plan=plan,
        user=request.user,
        opportunity=opportunity,
        linked=request.POST.get("linked") == "1",
    )
    return plan_response(request, plan, "opportunities")


@require_http_methods(["GET", "POST"])
def notifications_view(request):
    mine = Notification.objects.filter(recipient=request.user)
    if request.method == "POST":
        mine.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("notifications")
    page = Paginator(mine, 50).get_page(request.GET.get("page"))
    return render(request, "plans/notifications.html", {"page": page, "nav": "notifications"})
