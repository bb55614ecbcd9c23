from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from keyplan.core.views import ObjectListView, confirm_delete_page
from keyplan.sales.filtersets import OpportunityPageFilterSet
from keyplan.sales.models import Opportunity
from keyplan.sales.tables import OpportunityTable


class OpportunityListView(ObjectListView):
    model = Opportunity
    filterset_class = OpportunityPageFilterSet
    table_class = OpportunityTable
    related = ("account", "product", "owner")
    nav = "opportunities"


@require_http_methods(["GET"])
def opportunity_detail(request, pk: int):
    opportunity = get_object_or_404(
        Opportunity.objects.visible_to(request.user).select_related(
            "account", "product__product_line", "owner"
        ),
        pk=pk,
    )
    from keyplan.plans.selectors import plans_of_opportunity

    return render(
        request,
        "sales/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "line_items": opportunity.line_items.select_related("product__product_line"),
            "stage_changes": opportunity.stage_changes.select_related("changed_by").order_by(
                "changed_at", "pk"
            ),
            "nav": "opportunities",
        }
        | plans_of_opportunity(opportunity=opportunity, user=request.user),
    )


def opportunity_delete_warnings(opportunity: Opportunity) -> list[str]:
    """What deleting the deal changes beyond itself, in words: the plans that count it in
    their pipeline or took it from an idea, and a won deal's part of the sales."""
    from keyplan.core import words

    warnings = [
        f"The plan “{plan}” counts it in its pipeline: it leaves that pipeline."
        for plan in opportunity.plans.select_related("account")
    ]
    warnings += [
        f"The idea “{idea.title}” in the plan “{idea.plan}” came to this deal: the idea stays, "
        "without its deal."
        for idea in opportunity.ideas.select_related("plan__account")
    ]
    if opportunity.status == "won" and not opportunity.sale_lines.exists():
        amount = words.amount(opportunity.amount or 0)
        warnings.append(
            # "the sales of X", not "X's sales": "Harbor Union Industries's" read wrong.
            f"It is won and no sale line records it, so it counts in the sales of "
            f"{opportunity.account}: they go down by {amount} until it is restored."
        )
    return warnings


@require_http_methods(["GET", "POST"])
def opportunity_delete_view(request, pk: int):
    """A confirmation listing what goes with the deal and what it changes; the delete
    keeps a restorable copy in the recycle bin (as the API's delete does)."""
    from keyplan.audit.bin import deletion_blocker, deletion_preview
    from keyplan.sales.services import opportunity_delete

    opportunity = get_object_or_404(
        Opportunity.objects.visible_to(request.user).select_related("account"), pk=pk
    )
    refusal = deletion_blocker(opportunity)
    if request.method == "POST" and not refusal:
        opportunity_delete(opportunity=opportunity, user=request.user)
        messages.success(
            request,
            f"Opportunity {opportunity.name} deleted. It stays in the recycle bin for 30 days.",
        )
        return redirect(opportunity.account)
    return confirm_delete_page(
        request,
        nav="opportunities",
        subject=f"the opportunity {opportunity.name}",
        back=opportunity.get_absolute_url(),
        goes_with_it=[] if refusal else deletion_preview(opportunity),
        warnings=[] if refusal else opportunity_delete_warnings(opportunity),
        refusal=refusal,
    )
