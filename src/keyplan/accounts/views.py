from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from keyplan.accounts import selectors
from keyplan.accounts.deletion import (
    account_delete,
    account_delete_refusal,
    account_deletion_preview,
    contact_delete,
    contact_delete_refusal,
    contact_delete_warnings,
    may_delete_accounts,
)
from keyplan.accounts.filtersets import AccountPageFilterSet, ContactPageFilterSet
from keyplan.accounts.forms import AccountForm, ContactForm
from keyplan.accounts.models import Account, Contact
from keyplan.accounts.services import account_create, account_update
from keyplan.accounts.tables import AccountTable, ContactTable
from keyplan.audit.bin import deletion_preview
from keyplan.core.views import ObjectListView, confirm_delete_page
from keyplan.sales.choices import OpportunityStatus

CONTACTS_SHOWN = 25
OPPORTUNITIES_SHOWN = 20
INTERACTIONS_SHOWN = 10


class AccountListView(ObjectListView):
    model = Account
    filterset_class = AccountPageFilterSet
    table_class = AccountTable
    related = ("owner", "parent")
    nav = "accounts"
    template_name = "accounts/account_list.html"


class ContactListView(ObjectListView):
    model = Contact
    filterset_class = ContactPageFilterSet
    table_class = ContactTable
    related = ("account", "reports_to", "relationship_owner")
    nav = "contacts"


@require_http_methods(["GET"])
def account_detail(request, pk: int):
    account = get_object_or_404(
        Account.objects.visible_to(request.user).select_related("owner", "parent", "tier"),
        pk=pk,
    )
    children, child_count, below = selectors.account_children(account=account, user=request.user)
    subtree = selectors.subtree_ids(account)
    opportunities = account.opportunities.model.objects.filter(
        account_id__in=subtree
    ).select_related("account", "product", "owner")
    monthly = selectors.sales_by_month(account=account)
    today = timezone.localdate()
    context = {
        "nav": "accounts",
        "account": account,
        "ancestors": selectors.account_ancestors(account=account, user=request.user),
        "children": children,
        "child_count": child_count,
        "below_count": below,
        "team": account.team_members.select_related("user").order_by("role"),
        "contacts": account.contacts.select_related("reports_to", "relationship_owner")[
            :CONTACTS_SHOWN
        ],
        "contact_count": account.contacts.count(),
        "open_opportunities": opportunities.filter(status=OpportunityStatus.OPEN).order_by(
            F("close_date").asc(nulls_last=True), "pk"
        )[:OPPORTUNITIES_SHOWN],
        "closed_opportunities": opportunities.exclude(status=OpportunityStatus.OPEN).order_by(
            "-close_date"
        )[:OPPORTUNITIES_SHOWN],
        "opportunity_summary": selectors.opportunity_summary(account=account),
        # Recent interactions are those that took place; one dated after today is a
        # planned meeting (an accepted executive meeting), listed apart.
        "interactions": account.interactions.filter(date__lte=today).prefetch_related(
            "contacts", "participants"
        )[:INTERACTIONS_SHOWN],
        "planned_interactions": account.interactions.filter(date__gt=today)
        .prefetch_related("contacts", "participants")
        .order_by("date", "pk")[:INTERACTIONS_SHOWN],
        "monthly": monthly,
        "monthly_chart": {"months": monthly["months"], "series": monthly["series"]},
        "yearly": selectors.sales_by_year_and_product(account=account),
    }
    # The territory analyses' view of this account (potential, share of wallet, strategic).
    from keyplan.territory.views import account_panel

    context.update(account_panel(account))
    from keyplan.forecast.selectors import account_forecast
    from keyplan.plans.models import AccountPlan
    from keyplan.plans.permissions import can_create_plan

    context["forecast"] = account_forecast(account=account, compute=False)
    context["plans"] = AccountPlan.objects.filter(account=account).select_related("owner")[:10]
    context["can_start_plan"] = can_create_plan(request.user, account)
    from keyplan.territory.views import POTENTIAL_TYPED

    typed = request.session.pop(POTENTIAL_TYPED, None)  # a refused estimate, to correct
    if typed and typed.get("account") == account.pk:
        context["potential_typed"] = typed
    return render(request, "accounts/account_detail.html", context)


def _save_account(request, form, account=None):
    fields = dict(form.cleaned_data)
    fields.pop("version", None)
    try:
        with transaction.atomic():
            if account is None:
                if form.fields["owner"].disabled:
                    fields["owner"] = request.user
                return account_create(**fields)
            stored = Account.objects.select_for_update().get(pk=account.pk)
            if form.refuse_if_stale(stored):
                return None
            return account_update(account=account, **fields)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return None


@require_http_methods(["GET", "POST"])
def account_create_view(request):
    form = AccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account = _save_account(request, form)
        if account:
            messages.success(request, f"Account {account} created.")
            return redirect(account)
    return render(
        request, "accounts/account_form.html", {"form": form, "nav": "accounts", "account": None}
    )


@require_http_methods(["GET", "POST"])
def account_edit_view(request, pk: int):
    account = get_object_or_404(Account.objects.visible_to(request.user), pk=pk)
    form = AccountForm(request.POST or None, instance=account, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = _save_account(request, form, account=Account.objects.get(pk=account.pk))
        if saved:
            messages.success(request, f"Account {saved} saved.")
            return redirect(saved)
    return render(
        request,
        "accounts/account_form.html",
        {"form": form, "nav": "accounts", "account": account},
    )


@require_http_methods(["GET"])
def contact_detail(request, pk: int):
    contact = get_object_or_404(
        Contact.objects.visible_to(request.user).select_related(
            "account", "reports_to", "relationship_owner"
        ),
        pk=pk,
    )
    chain = []
    node = contact.reports_to
    while node is not None and len(chain) < 15 and node.pk != contact.pk:
        chain.append(node)
        node = Contact.objects.filter(pk=node.reports_to_id).first() if node.reports_to_id else None
    chain.reverse()
    context = {
        "nav": "contacts",
        "contact": contact,
        "chain": chain,
        "reports": contact.direct_reports.all()[:50],
        "report_count": contact.direct_reports.count(),
        "interactions": contact.interactions.prefetch_related("participants", "contacts")[:25],
        "today": timezone.localdate(),
    }
    return render(request, "accounts/contact_detail.html", context)


@require_http_methods(["GET", "POST"])
def contact_create_view(request, account_pk: int):
    account = get_object_or_404(Account.objects.visible_to(request.user), pk=account_pk)
    form = ContactForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        contact.account = account
        contact.save()
        messages.success(request, f"Contact {contact} added to {account}.")
        return redirect(contact)
    return render(
        request,
        "accounts/contact_form.html",
        {"form": form, "account": account, "contact": None, "nav": "contacts"},
    )


@require_http_methods(["GET", "POST"])
def contact_edit_view(request, pk: int):
    contact = get_object_or_404(
        Contact.objects.visible_to(request.user).select_related("account"), pk=pk
    )
    form = ContactForm(request.POST or None, instance=contact, account=contact.account)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            stored = Contact.objects.select_for_update().get(pk=contact.pk)
            if not form.refuse_if_stale(stored):
                saved = form.save(commit=False)
                saved.version = stored.version + 1
                saved.save()
                form.save_m2m()
                messages.success(request, f"Contact {saved} saved.")
                return redirect(saved)
    return render(
        request,
        "accounts/contact_form.html",
        {"form": form, "account": contact.account, "contact": contact, "nav": "contacts"},
    )


@require_http_methods(["GET", "POST"])
def account_delete_view(request, pk: int):
    """A confirmation listing what goes with the account; the delete itself keeps a
    restorable copy in the recycle bin."""
    account = get_object_or_404(Account.objects.visible_to(request.user), pk=pk)
    refusal = account_delete_refusal(account=account, user=request.user)
    if request.method == "POST" and not refusal:
        try:
            account_delete(account=account, user=request.user)
        except (ProtectedError, ValidationError) as exc:
            refusal = (
                getattr(exc, "messages", None)
                and " ".join(exc.messages)
                or (f"{account} still has records that depend on it; delete or move them first.")
            )
        else:
            messages.success(
                request, f"Account {account} deleted. It stays in the recycle bin for 30 days."
            )
            return redirect("account_list")
    return confirm_delete_page(
        request,
        nav="accounts",
        subject=f"the account {account}",
        back=account.get_absolute_url(),
        goes_with_it=[] if refusal else account_deletion_preview(account),
        refusal=refusal,
        status=403 if refusal and not may_delete_accounts(request.user) else 200,
    )


@require_http_methods(["GET", "POST"])
def contact_delete_view(request, pk: int):
    """A confirmation listing what goes with the contact (executive pairings named)."""
    contact = get_object_or_404(
        Contact.objects.visible_to(request.user).select_related("account"), pk=pk
    )
    refusal = contact_delete_refusal(contact)
    if request.method == "POST" and not refusal:
        contact_delete(contact=contact, user=request.user)
        messages.success(
            request, f"Contact {contact} deleted. It stays in the recycle bin for 30 days."
        )
        return redirect(contact.account)
    return confirm_delete_page(
        request,
        nav="contacts",
        subject=f"the contact {contact}",
        back=contact.get_absolute_url(),
        goes_with_it=deletion_preview(contact),
        warnings=contact_delete_warnings(contact),
        refusal=refusal,
    )
