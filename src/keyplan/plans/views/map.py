"""The relationship and decision map of a plan's account: read by anyone who sees the
plan; contacts added and edited on the map (with their reporting line), and executive
pairings added and removed, by whoever may edit the plan. Every contact change made
here is recorded in the plan's activity feed."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from keyplan.accounts.forms import ContactForm
from keyplan.accounts.models import Account, Contact
from keyplan.catalog.models import ProductLine
from keyplan.plans import audit, services, wording
from keyplan.plans.choices import ChangeAction
from keyplan.plans.forms import PairingForm
from keyplan.plans.models import AccountPlan, ExecutivePairing
from keyplan.plans.permissions import edit_refusal, meeting_ask_refusal
from keyplan.plans.relationship_tree import LARGE_MAP
from keyplan.plans.relationships import relationship_map
from keyplan.plans.selectors import plan_account_ids
from keyplan.plans.services.common import require_edit
from keyplan.plans.views.common import add_errors, is_htmx, refusals_to, visible_plan

CONTACT_FIELDS = list(ContactForm.Meta.fields)


class MapContactForm(ContactForm):
    """accounts' ContactForm (its checks, the reporting-line cycle among them) with, for
    a new contact, the account of the plan's hierarchy they work at."""

    def __init__(self, *args, account, accounts=None, plan_accounts=None, **kwargs):
        super().__init__(*args, account=account, **kwargs)
        if plan_accounts is not None:
            # On the map a reporting line may cross accounts of the hierarchy (a division
            # head reporting to the group CFO); the cycle check still applies.
            managers = Contact.objects.filter(account_id__in=plan_accounts, is_active=True)
            if self.instance.pk:
                managers = managers.exclude(pk=self.instance.pk)
            self.fields["reports_to"].queryset = managers.order_by("last_name", "first_name")
        if accounts is not None and not self.instance.pk:
            self.fields = {
                "account": forms.ModelChoiceField(
                    accounts, initial=account.pk, empty_label=None, label="Account"
                ),
                **self.fields,
            }
        self.fields["reports_to"].label = "Reports to (manager)"
        # When the contact was loaded: a save made from an older copy is refused.
        self.fields["loaded"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if self.instance.pk and not self.is_bound:
            self.initial["loaded"] = self.instance.updated_at.isoformat()


def _stale_contact(form, contact) -> str | None:
    """Why this save of ``contact`` would overwrite someone else's, or None."""
    from keyplan.plans.audit import last_change

    loaded = form.cleaned_data.get("loaded")
    current = type(contact).objects.select_for_update().get(pk=contact.pk)
    if not loaded or loaded == current.updated_at.isoformat():
        return None
    change = last_change(subject="contact", obj=current)
    who = (change.user if change else None) or "someone"
    what = f" ({wording.change_summary(change)})" if change and change.changes else ""
    return (
        f"{who} changed {current} after you opened it{what}. Your changes were not saved; "
        "reload to see theirs and apply yours again."
    )


_map_refusals = refusals_to("#map-messages", "plan_map")


def _filters(request, plan: AccountPlan):
    """The business unit and product line chosen in the query string (ignored when they
    are not part of the plan's hierarchy / have no stakeholder roles)."""
    unit = line = None
    raw = request.GET.get("business_unit", "")
    if raw.isdigit():
        unit = Account.objects.filter(pk=int(raw), pk__in=set(plan_account_ids(plan))).first()
    raw = request.GET.get("product_line", "")
    if raw.isdigit():
        line = ProductLine.objects.filter(pk=int(raw), stakeholder_roles__isnull=False).first()
    return unit, line


def map_context(request, plan: AccountPlan) -> dict:
    unit, line = _filters(request, plan)
    refusal = edit_refusal(request.user, plan)
    can_edit = refusal is None

    query = urlencode(
        {
            k: v
            for k, v in (("business_unit", unit and unit.pk), ("product_line", line and line.pk))
            if v
        }
    )
    suffix = f"?{query}" if query else ""

    def contact_url(contact):
        if not can_edit:
            return ""
        return reverse("plan_map_contact", args=[plan.pk, contact.pk]) + suffix

    rmap = relationship_map(plan, business_unit=unit, product_line=line, contact_url=contact_url)
    return {
        "nav": "plans",
        "plan": plan,
        "map": rmap,
        "chart": {
            "tree": rmap.tree,
            "start_collapsed": len(rmap.contacts) > LARGE_MAP,
            "can_edit": can_edit,
            "file": f"relationship-map-{plan.pk}",
            "title": f"Relationship map: {(unit or plan.account).name}"
            + (f" · key roles for {line.name}" if line else ""),
        },
        "map_groups": any(n.get("is_group") for n in rmap.tree["children"]),
        "can_edit": can_edit,
        "can_ask_meeting": meeting_ask_refusal(request.user, plan) is None,
        "edit_refusal": refusal,
        "business_unit": unit,
        "product_line": line,
        "filtered": bool(unit or line),
        "query": suffix,
        "next_query": f"&{query}" if query else "",
    }


def _map_response(request, plan: AccountPlan):
    """After a change: the refreshed map for HTMX, else back to the map page."""
    plan = visible_plan(request, plan.pk)
    if is_htmx(request):
        return render(request, "plans/_map_body.html", map_context(request, plan))
    return redirect("plan_map", plan.pk)


def _form_response(request, plan, template: str, context: dict, slot: str):
    context = {"plan": plan, "nav": "plans", "slot": slot} | context
    if is_htmx(request):
        response = render(request, template, context)
        if request.method == "POST":
            response["HX-Retarget"] = f"#{slot}"
            response["HX-Reswap"] = "innerHTML"
        return response
    return render(
        request,
        "plans/map_form_page.html",
        context | {"form_template": template, "full_page": True},
    )


@require_http_methods(["GET"])
def plan_map_view(request, pk: int):
    plan = visible_plan(request, pk)
    context = map_context(request, plan)
    if is_htmx(request) and request.headers.get("HX-Target") == "map-body":
        return render(request, "plans/_map_body.html", context)
    return render(request, "plans/map.html", context)


def _plan_contact(request, plan: AccountPlan, contact_pk: int) -> Contact:
    return get_object_or_404(
        Contact.objects.visible_to(request.user).select_related("account"),
        pk=contact_pk,
        account_id__in=set(plan_account_ids(plan)),
    )


def _chosen_account(request, plan: AccountPlan, accounts) -> Account:
    data = request.POST if request.method == "POST" else request.GET
    raw = data.get("account", "")
    if raw.isdigit():
        found = accounts.filter(pk=int(raw)).first()
        if found is not None:
            return found
    manager = request.GET.get("manager", "")
    if manager.isdigit():
        found = accounts.filter(contacts__pk=int(manager)).first()
        if found is not None:
            return found
    return plan.account


@require_http_methods(["GET", "POST"])
@_map_refusals
def map_contact_view(request, pk: int, contact: int | None = None):
    """Add a contact on the map (at any account of the plan's hierarchy) or edit one,
    including whom they report to; a reporting line that would close a loop is refused
    on the field and nothing is saved."""
    plan = visible_plan(request, pk)
    require_edit(request.user, plan)
    instance = _plan_contact(request, plan, contact) if contact else None
    if instance is not None:
        account, accounts = instance.account, None
    else:
        accounts = Account.objects.filter(pk__in=set(plan_account_ids(plan))).order_by("name")
        account = _chosen_account(request, plan, accounts)
    # Before the form is bound: validating it writes the new values onto ``instance``.
    before = audit.snapshot(instance, CONTACT_FIELDS) if instance is not None else {}
    initial = {}
    manager = request.GET.get("manager", "")
    if instance is None and manager.isdigit():
        initial["reports_to"] = int(manager)
    form = MapContactForm(
        request.POST or None,
        instance=instance,
        account=account,
        accounts=accounts,
        plan_accounts=plan_account_ids(plan),
        initial=initial,
    )
    if "account" in form.fields:  # choosing the account reloads the managers to pick from
        form.fields["account"].widget.attrs.update(
            {
                "hx-get": reverse("plan_map_contact_new", args=[plan.pk]),
                "hx-target": "#map-slot",
                "hx-swap": "innerHTML",
            }
        )
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            plan = AccountPlan.objects.select_for_update().get(pk=plan.pk)
            require_edit(request.user, plan)
            stale = _stale_contact(form, instance) if instance is not None else None
            if stale:
                form.add_error(None, stale)
            else:
                saved = form.save(commit=False)
                if instance is None:
                    saved.account = form.cleaned_data.get("account") or account
                saved.save()
                after = audit.snapshot(saved, CONTACT_FIELDS)
                changes = audit.diff(before, after)
                if instance is None or changes:
                    audit.record(
                        plan=plan,
                        user=request.user,
                        action=ChangeAction.CREATED if instance is None else ChangeAction.UPDATED,
                        subject="contact",
                        obj=saved,
                        changes=changes,
                    )
        if not stale:
            if not is_htmx(request):
                messages.success(
                    request,
                    f"Contact {saved} added to {saved.account}."
                    if instance is None
                    else f"Contact {saved} saved.",
                )
            return _map_response(request, plan)
    slot = "map-slot"
    return _form_response(
        request,
        plan,
        "plans/_map_contact_form.html",
        {
            "form": form,
            "contact": instance,
            "title": f"Edit {instance}" if instance else "Add a contact",
            "action": request.get_full_path(),
            "account": account,
        },
        slot,
    )


@require_http_methods(["GET", "POST"])
@_map_refusals
def map_pairing_view(request, pk: int):
    """Pair one of our executives with one of theirs (default cadence: quarterly)."""
    plan = visible_plan(request, pk)
    require_edit(request.user, plan)
    initial = {}
    their = request.GET.get("their_executive", "")
    if their.isdigit():
        initial["their_executive"] = int(their)
    form = PairingForm(request.POST or None, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.element_save(kind="pairing", plan=plan, user=request.user, **form.values())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return _map_response(request, plan)
    return _form_response(
        request,
        plan,
        "plans/_map_pairing_form.html",
        {"form": form, "title": "Pair executives", "action": request.get_full_path()},
        "pairing-slot",
    )


@require_POST
@_map_refusals
def map_pairing_delete_view(request, pk: int, item: int):
    plan = visible_plan(request, pk)
    pairing = ExecutivePairing.objects.filter(pk=item, plan=plan).first()
    if pairing is None:
        raise Http404("No such pairing on this plan.")
    services.element_delete(kind="pairing", plan=plan, user=request.user, instance=pairing)
    return _map_response(request, plan)
