from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from keyplan.core.views import ObjectListView
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
