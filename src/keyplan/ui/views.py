from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from keyplan.accounts.models import Account, Contact
from keyplan.sales.choices import OpportunityStatus
from keyplan.sales.models import Opportunity

MY_ACCOUNTS_SHOWN = 15


def _count(queryset):
    counted = queryset.order_by().values("account").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


@require_http_methods(["GET"])
def home(request):
    """The signed-in user's start page, by what they run: those who see the whole
    company (executives, sales ops, admins) land on the company view, a manager with
    people on the team board, a rep on their own accounts. Each links to the others they
    may open."""
    from keyplan.salesplan.leaders import views as leaders

    user = request.user
    if leaders.sees_company(user):
        context = leaders.company_context(request)
        context["home"] = True
        return render(request, "salesplan/leaders/company.html", context)
    if leaders.has_people(user):
        context = leaders.team_board_context(request)
        context["home"] = True
        return render(request, "salesplan/leaders/team.html", context)
    return _rep_home(request)


def _rep_home(request):
    """The rep's start page: the accounts they own, with counts, and the size of
    everything they can see."""
    user = request.user
    # Correlated subqueries, not joins: counted only for the rows shown.
    mine = (
        Account.objects.filter(owner=user)
        .annotate(
            contact_count=_count(Contact.objects.filter(account=OuterRef("pk"))),
            open_count=_count(
                Opportunity.objects.filter(account=OuterRef("pk"), status=OpportunityStatus.OPEN)
            ),
        )
        .order_by("name")
    )
    visible = Account.objects.visible_to(user)
    pipeline = Opportunity.objects.visible_to(user).filter(status=OpportunityStatus.OPEN)
    pipeline_totals = pipeline.aggregate(count=Count("pk"), amount=Sum("amount"))
    context = {
        "my_accounts": mine[:MY_ACCOUNTS_SHOWN],
        "my_account_count": Account.objects.filter(owner=user).count(),
        "visible_count": visible.count(),
        "contact_count": Contact.objects.visible_to(user).count(),
        "pipeline_count": pipeline_totals["count"] or 0,
        "pipeline_amount": pipeline_totals["amount"] or 0,
        # Deals without a close date are not closing next: they are not dated yet.
        "closing_soon": pipeline.filter(close_date__isnull=False)
        .select_related("account")
        .order_by("close_date", "pk")[:10],
    }
    return render(request, "ui/home.html", context)
