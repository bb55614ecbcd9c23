from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_http_methods, require_POST

from keyplan.catalog.models import Product
from keyplan.plans import services
from keyplan.plans.forms import ELEMENT_FORMS
from keyplan.plans.models import AccountPlan
from keyplan.plans.services.common import require_edit
from keyplan.plans.services.elements import KINDS
from keyplan.plans.views.common import (
    add_errors,
    form_response,
    is_htmx,
    plan_response,
    refusals_as_messages,
    visible_plan,
    who_decides,
)

# Which section of the plan page shows each kind.
SECTION_OF = {
    "goal": "goals",
    "value": "insights",
    "vendor": "research",
    "idea": "ideas",
    "investment": "investments",
    "objective": "execution",
    "qualitative": "execution",
    "strategy": "execution",
    "action": "execution",
    "milestone": "execution",
    "help": "execution",
    "pairing": "execution",
}


def _element(plan: AccountPlan, kind: str, item: int):
    spec = KINDS[kind]
    lookup = f"{spec.parent}__plan" if spec.parent else "plan"
    return get_object_or_404(spec.model.objects.all(), pk=item, **{lookup: plan})


@require_http_methods(["GET", "POST"])
@refusals_as_messages
def element_form_view(request, pk: int, kind: str, item: int | None = None):
    """Add or edit a goal, value statement, vendor, idea or investment case, in place."""
    if kind not in KINDS:
        raise PermissionDenied("No such part of a plan.")
    plan = visible_plan(request, pk)
    require_edit(request.user, plan)
    instance = _element(plan, kind, item) if item else None
    form_class = ELEMENT_FORMS[kind]
    initial = {}
    for parent in ("idea", "objective", "strategy"):  # "add" links from a row preselect it
        if request.GET.get(parent, "").isdigit():
            initial[parent] = request.GET[parent]
    form = form_class(
        request.POST or None,
        instance=instance,
        plan=plan,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        for name, value in list(values.items()):
            if hasattr(value, "model") and hasattr(value, "all"):  # many-to-many choices
                values[name] = list(value)
        try:
            services.element_save(
                kind=kind,
                plan=plan,
                user=request.user,
                instance=instance,
                version=form.cleaned_data.get("version"),
                **values,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return plan_response(request, plan, SECTION_OF[kind])
    slot = f"slot-{kind}-{item or 'new'}"
    label = KINDS[kind].label
    return form_response(
        request,
        "plans/_form.html",
        {
            "plan": plan,
            "form": form,
            "slot": slot,
            "title": f"Edit {label}" if item else f"New {label}",
            "action": request.path,
            "nav": "plans",
        },
        slot,
    )


@require_POST
@refusals_as_messages
def element_delete_view(request, pk: int, kind: str, item: int):
    if kind not in KINDS:
        raise PermissionDenied("No such part of a plan.")
    plan = visible_plan(request, pk)
    services.element_delete(
        kind=kind, plan=plan, user=request.user, instance=_element(plan, kind, item)
    )
    return plan_response(request, plan, SECTION_OF[kind])


@require_POST
@refusals_as_messages
def idea_move_view(request, pk: int, item: int):
    from keyplan.sales.models import Opportunity

    plan = visible_plan(request, pk)
    idea = _element(plan, "idea", item)
    opportunity = None
    raw = request.POST.get("opportunity", "")
    if raw:
        opportunity = (
            Opportunity.objects.visible_to(request.user).filter(pk=int(raw)).first()
            if raw.isdigit() and len(raw) <= 12
            else None
        )
        if opportunity is None:
            raise ValidationError("That opportunity does not exist or you cannot see it.")
    product = None
    raw = request.POST.get("product", "")
    if raw:
        valid = raw.isdigit() and len(raw) <= 12
        product = Product.objects.filter(pk=int(raw)).first() if valid else None
        if product is None:
            raise ValidationError("That product does not exist.")
    services.idea_move(
        idea=idea,
        user=request.user,
        stage=request.POST.get("stage", ""),
        version=request.POST.get("version") or None,
        opportunity=opportunity,
        product=product,
    )
    return plan_response(request, plan, "ideas")


@require_POST
@refusals_as_messages
def idea_from_whitespace_view(request, pk: int):
    plan = visible_plan(request, pk)
    raw = request.POST.get("product", "")
    product = (
        Product.objects.filter(pk=int(raw), is_active=True).first()
        if raw.isdigit() and len(raw) <= 12
        else None
    )
    if product is None:
        raise ValidationError("Choose an active product from the account's white space.")
    try:
        value = Decimal(request.POST.get("value") or "0")
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(f"“{request.POST.get('value')}” is not an amount.")
    services.idea_from_whitespace(plan=plan, user=request.user, product=product, value=value)
    return plan_response(request, plan, "ideas")


@require_POST
@refusals_as_messages
def investment_submit_view(request, pk: int, item: int):
    plan = visible_plan(request, pk)
    case = services.investment_submit(
        case=_element(plan, "investment", item),
        user=request.user,
        version=request.POST.get("version") or None,
    )
    if not is_htmx(request):
        # Without htmx the plan page is reloaded: say it at the top too (the case itself
        # says it on both paths).
        messages.success(request, f"“{case}” submitted. " + who_decides(plan, request.user))
    return plan_response(request, plan, "investments")


@require_POST
@refusals_as_messages
def investment_decide_view(request, pk: int, item: int):
    plan = visible_plan(request, pk)
    services.investment_decide(
        case=_element(plan, "investment", item),
        user=request.user,
        approve=request.POST.get("decision") == "approve",
        comment=request.POST.get("comment", ""),
        version=request.POST.get("version") or None,
    )
    return plan_response(request, plan, "investments")
