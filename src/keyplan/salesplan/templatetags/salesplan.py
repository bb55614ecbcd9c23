"""The account goal beside an account plan's revenue goal (one query)."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("salesplan/_plan_goal.html")
def plan_account_goal(plan):
    """The account goal of the plan's fiscal year, where to distribute it, and whether
    it was set apart from the plan on purpose."""
    from django.db.models import OuterRef, Subquery

    from keyplan.salesplan.models import AccountGoal, Quota
    from keyplan.salesplan.services import plan_period

    period = plan_period(plan)
    rep_quota = Quota.objects.filter(
        level="rep", rep_id=OuterRef("rep_id"), fiscal_year=period.fiscal_year, quarter=0
    ).values("pk")[:1]
    goal = (
        AccountGoal.objects.filter(
            account_id=plan.account_id, fiscal_year=period.fiscal_year, quarter=0
        )
        .select_related("rep")
        .annotate(rep_quota=Subquery(rep_quota))
        .first()
    )
    link = None
    if goal is not None and goal.rep_quota:
        link = reverse("quota_goals", args=[goal.rep_quota])
    return {"goal": goal, "period": period, "link": link, "plan": plan}


@register.inclusion_tag("salesplan/_pipeline_need.html")
def plan_pipeline_need(plan, ideas=None):
    """Brock's pipeline math for an account plan: one sentence and the rates it used.
    One query: the plan page has read the plan's accounts and ideas already (``ideas``;
    without them, two more)."""
    from keyplan.salesplan.pipeline import plan_need

    if not plan.revenue_goal:
        return {"need": None, "plan": plan}
    found = plan_need(plan, ideas=ideas if isinstance(ideas, list) else None)
    return {"need": found, "plan": plan}


@register.filter
def no_plan_reason(plan, account_id) -> str:
    """Why this A account of the territory plan has no account plan ("" when none given)."""
    return (getattr(plan, "no_plan_reasons", None) or {}).get(str(account_id), "")
