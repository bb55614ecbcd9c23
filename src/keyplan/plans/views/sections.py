"""What a save of one of the plan's own sections (basics, insights, research, proposal)
answers with: that section, and out of band (htmx ``hx-swap-oob``) the parts of the plan
page that show what the section holds — the plan's version, the guided steps, the health
and the activity; for the goals and the aspiration (basics) also the header, the pipeline
coverage and the forecast. Nothing else on the page reads these fields, so the rest
(ideas, execution, opportunities, comments, and any form open there with what the user
typed) is neither read again nor sent again. None of the parts sent out of band holds a
field a user types into (their forms are buttons), so replacing them loses nothing.

A basics save that changes who owns or works on the plan, its period or the accounts it
covers changes much more (who may edit every row, which accounts' facts and deals count,
the pace every objective is measured against): that save answers with the whole plan
body, as every other change to the plan does."""

from django.shortcuts import render
from django.utils import timezone

from keyplan.plans import selectors
from keyplan.plans.models import AccountPlan, InvestmentCase
from keyplan.plans.permissions import edit_refusal
from keyplan.plans.views.common import (
    ACTIVITY_SHOWN,
    head_context,
    is_htmx,
    plan_response,
    visible_plan,
)

# The parts of the page (templates whose top element has an id) a section's save changes,
# besides the section itself and the plan's version.
SHOWS_CONTENT = ("plans/_steps.html", "plans/_health.html", "plans/_activity.html")
PARTS = {
    "basics": ("plans/_plan_head.html", "plans/_coverage.html", "plans/_forecast.html")
    + SHOWS_CONTENT,
    "insights": SHOWS_CONTENT,
    "research": SHOWS_CONTENT,
    "proposal": SHOWS_CONTENT,
}
# Basics fields whose change reaches most of the page: the whole body is sent again.
WIDE_FIELDS = frozenset({"owner", "team", "covered_accounts", "period_start", "period_end"})


def section_saved_response(request, plan: AccountPlan, section: str, changed=()):
    """The answer to a successful save of ``section`` (``changed``: the form's fields
    that differ from what was stored). Without htmx, back to the plan page."""
    if not is_htmx(request) or WIDE_FIELDS.intersection(changed):
        response = plan_response(request, plan, section)
        target = "#plan-body"
    else:
        plan = visible_plan(request, plan.pk)
        response = render(
            request,
            "plans/_section_saved.html",
            section_context(request, plan, section)
            | {
                "section_template": f"plans/_section_{section}.html",
                "oob_templates": PARTS[section],
            },
        )
        target = f"#{section}"
    if is_htmx(request):
        # The server says where its answer goes, whatever the form that sent it says.
        response["HX-Retarget"] = target
        response["HX-Reswap"] = "outerHTML"
    return response


def section_context(request, plan: AccountPlan, section: str) -> dict:
    """What a section and the parts its save changes show, read as the full page reads
    it (``views.common.plan_context``) so each part is the same as on a reload, in a
    fixed number of queries whatever the plan's rows."""
    from keyplan.plans.health import objective_progress, plan_health

    today = timezone.localdate()
    account_ids = selectors.remember_account_ids(plan)
    ideas = list(plan.ideas.all())
    investments = list(InvestmentCase.objects.filter(idea__plan=plan))
    goals = list(plan.goals.all())
    vendors = plan.vendors.all()
    if section == "research":  # the section lists each vendor's product lines
        vendors = vendors.prefetch_related("product_lines")
    vendors = list(vendors)
    values = list(plan.values.all())
    cov = selectors.coverage(plan, ideas=ideas)
    steps = selectors.progress(
        plan,
        cov,
        selectors.Loaded(
            goals=goals, ideas=ideas, investments=investments, vendors=vendors, values=values
        ),
    )
    objectives = list(plan.objectives.select_related("manual_updated_by"))
    progress = objective_progress(plan, objectives, today=today, ideas=ideas)
    refusal = edit_refusal(request.user, plan)
    context = {
        "nav": "plans",
        "plan": plan,
        "can_edit": refusal is None,
        "edit_refusal": refusal,
        "values": values,
        "vendors": vendors,
        "ideas": ideas,
        "coverage": cov,
        "steps": steps,
        "health": plan_health(plan, today=today, coverage=cov, steps=steps, progress=progress),
        "recent_versions": plan.versions.select_related("taken_by").defer("content")[:5],
        "activity": selectors.activity(plan, ACTIVITY_SHOWN),
        "proposal_ideas": [i for i in ideas if i.in_proposal],
        "proposal_investments": [c for c in investments if c.in_proposal],
    }
    if section == "basics":
        from keyplan.territory.analysis.params import Window

        context |= head_context(plan, cov, account_ids, Window.default(), ideas) | {
            "pairings": plan.executive_pairings.select_related("our_executive", "their_executive"),
        }
    return context
