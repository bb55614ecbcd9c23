"""What every plan page shares: finding the plan the user may see, answering HTMX and
plain requests alike, and turning a service's refusal into a message on the form."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, F, Prefetch, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html_join
from django.utils.text import Truncator

from keyplan.plans import selectors
from keyplan.plans.choices import IDEA_MOVES, IdeaStage, InvestmentStatus, PlanStatus
from keyplan.plans.models import AccountPlan, InvestmentCase, InvestmentEvent
from keyplan.plans.permissions import decide_refusal, deciders_for, edit_refusal
from keyplan.plans.services.plan import previous_plan

ACTIVITY_SHOWN = 40


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def visible_plan(request, pk: int) -> AccountPlan:
    return get_object_or_404(
        AccountPlan.objects.visible_to(request.user).select_related(
            "account",
            "account__tier",
            "owner",
            # Who decides investment cases is the owner's manager or team manager.
            "owner__manager",
            "owner__team__manager",
            "carried_from",
            "proposal_presented_to",
        ),
        pk=pk,
    )


def add_errors(form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on the field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(
                    target,
                    f"{field.replace('_', ' ')}: {error}"
                    if target is None and field != "__all__"
                    else error,
                )
    else:
        for error in exc.messages:
            form.add_error(None, error)


def refusals_to(target: str, back: str):
    """A refusal that no form can show (no permission, a move not allowed) becomes a
    message in ``target`` (an element id) for HTMX, or on the ``back`` page (a URL name
    taking the plan's pk) otherwise, instead of an error page; a GET of something the
    user may not use is still a 403. Nothing has changed either way."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            try:
                return view(request, pk, *args, **kwargs)
            except (PermissionDenied, ValidationError) as exc:
                text = " ".join(
                    exc.messages
                    if isinstance(exc, ValidationError)
                    else [str(exc) or "Not allowed."]
                )
                if is_htmx(request):
                    response = render(request, "plans/_messages.html", {"alerts": [text]})
                    response["HX-Retarget"] = target
                    response["HX-Reswap"] = "innerHTML"
                    return response
                if isinstance(exc, PermissionDenied) and request.method == "GET":
                    raise
                messages.error(request, text)
                return redirect(back, pk)

        return wrapper

    return decorator


refusals_as_messages = refusals_to("#plan-messages", "plan_detail")


def _offer_line_products(ideas) -> None:
    """An idea about a product line, about to become an opportunity, is offered the
    line's products for it (one query for every line on the page)."""
    from keyplan.catalog.models import Product

    waiting = [
        i
        for i in ideas
        if i.product_line_id and not i.product_id and IdeaStage.OPPORTUNITY in i.moves
    ]
    by_line: dict[int, list] = {}
    if waiting:
        for product in Product.objects.filter(
            product_line_id__in={i.product_line_id for i in waiting}, is_active=True
        ).order_by("name"):
            by_line.setdefault(product.product_line_id, []).append(product)
    waiting_ids = {i.pk for i in waiting}
    for idea in ideas:
        idea.line_products = by_line.get(idea.product_line_id, []) if idea.pk in waiting_ids else []


def names_in_words(people) -> str:
    """ "Ada Lovelace", "Ada Lovelace and Alan Turing", "A, B and C"."""
    names = [str(p) for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def who_decides(plan: AccountPlan, submitter) -> str:
    """Who will decide a case ``submitter`` submitted, in a sentence for the plan page."""
    people = deciders_for(plan, submitter)
    if not people:
        return (
            "Nobody could be asked to decide it: neither the plan's owner nor "
            f"{submitter} has a manager, and there is no executive. Any manager or "
            f"executive other than {submitter} may decide it."
        )
    asked = "has" if len(people) == 1 else "have"
    return (
        f"Waiting for a decision by {names_in_words(people)}, who {asked} been asked; "
        "any other manager or executive may also decide it."
    )


def plan_context(request, plan: AccountPlan) -> dict:
    """Everything the plan page shows, in a fixed number of queries."""
    from keyplan.sales.choices import OpportunityStatus
    from keyplan.sales.models import Opportunity
    from keyplan.territory.views import _whitespace_row

    user = request.user
    # One plan's rows are read in their model's order without its first key, the plan:
    # sorting by a plan joins the plan and its account to sort by period and name (the
    # model's ordering), which costs every query a third more for the same order.
    ideas = list(
        plan.ideas.select_related("goal", "opportunity", "product", "product_line").order_by(
            "-annual_value", "pk"
        )
    )
    plan_opportunity_ids = set(plan.opportunities.values_list("pk", flat=True))
    cov = selectors.coverage(plan, ideas=ideas, linked_ids=plan_opportunity_ids)
    refusal = edit_refusal(user, plan)
    investments = list(
        InvestmentCase.objects.filter(idea__plan=plan)
        .select_related("idea", "submitted_by", "decided_by")
        .order_by("-idea__annual_value", "idea_id", "pk")  # by idea, as the model orders
        # The history's people with their events: one query, not two.
        .prefetch_related(
            Prefetch(
                "events",
                queryset=InvestmentEvent.objects.select_related("user").order_by("at", "pk"),
            )
        )
    )
    deciders: dict[int, str] = {}  # per submitter: usually one or two on a plan
    for case in investments:
        case.decide_refusal = decide_refusal(user, case)
        if case.status == InvestmentStatus.SUBMITTED and case.submitted_by is not None:
            if case.submitted_by_id not in deciders:
                deciders[case.submitted_by_id] = who_decides(plan, case.submitted_by)
            case.who_decides = deciders[case.submitted_by_id]
    approved = {c.idea_id for c in investments if c.status == InvestmentStatus.APPROVED}
    for idea in ideas:
        idea.moves = [IdeaStage(s) for s in sorted(IDEA_MOVES[IdeaStage(idea.stage)])]
        idea.blocked = idea.needs_investment and idea.pk not in approved
    _offer_line_products(ideas)
    account_ids = selectors.remember_account_ids(plan)
    from keyplan.territory.analysis.params import Window

    window = Window.default()  # the facts' window, read once for the page
    whitespace = _whitespace_row(plan.account, window)
    if whitespace:
        owned_ideas = {i.product_id for i in ideas if i.product_id}
        whitespace["cells"] = sorted(
            (
                c
                for c in whitespace["cells"]
                if c["state"] == "white_space" and c["item_id"] not in owned_ideas
            ),
            key=lambda c: -(c["value"] or 0),
        )[:8]
    through_ideas = {
        i.opportunity_id for i in ideas if i.opportunity_id and i.stage == IdeaStage.OPPORTUNITY
    }
    linked_ids = plan_opportunity_ids | through_ideas
    open_opportunities = list(
        Opportunity.objects.filter(account_id__in=account_ids, status=OpportunityStatus.OPEN)
        .select_related("account")
        # Deals whose amount is not known first: the rep is to complete them at source,
        # and an early deal (no amount, no close date) must not fall off the list.
        .order_by(
            Case(When(amount__isnull=True, then=Value(0)), default=Value(1)),
            F("close_date").asc(nulls_last=True),
            "pk",
        )[:30]
    )
    for opp in open_opportunities:
        opp.linked = opp.pk in linked_ids
        opp.from_idea = opp.pk in through_ideas
    # The options of every idea's "link an opportunity" menu, the same for each idea:
    # written once here instead of once per idea in the template.
    link_options = format_html_join(
        "",
        '<option value="{}">link: {}</option>',
        ((o.pk, Truncator(o.name).chars(40)) for o in open_opportunities if not o.from_idea),
    )
    # Every section's rows in one query per kind, read once: the page and the guided
    # steps (counted from these lists) share them.
    goals = list(
        plan.goals.select_related("organisation", "source_contact")
        .prefetch_related("contacts")
        .order_by("level", "pk")
    )
    values = list(plan.values.order_by("pk"))
    vendors = list(
        plan.vendors.prefetch_related("product_lines").order_by("relation", "name", "pk")
    )
    loaded = selectors.Loaded(
        goals=goals, ideas=ideas, investments=investments, vendors=vendors, values=values
    )
    steps = selectors.progress(plan, cov, loaded)
    execution = execution_context(request, plan, cov, steps, ideas)

    return (
        head_context(plan, cov, account_ids, window, ideas)
        | {
            "nav": "plans",
            "plan": plan,
            "coverage": cov,
            "steps": steps,
            "can_edit": refusal is None,
            "edit_refusal": refusal,
            "goals": goals,
            "values": values,
            "vendors": vendors,
            "ideas": ideas,
            "investments": investments,
            "whitespace": whitespace,
            "open_opportunities": open_opportunities,
            "link_options": link_options,
            "activity": selectors.activity(plan, ACTIVITY_SHOWN),
            "newer": plan.carried_into.order_by("-period_start").first(),
            "previous": previous_plan(plan.account, exclude=plan)
            if not plan.carried_from_id
            else None,
            "proposal_ideas": [i for i in ideas if i.in_proposal],
            "proposal_investments": [c for c in investments if c.in_proposal],
            # Every part of the plan a comment may be about, as read above: the comments
            # card's "about" menu names them without reading them again.
            "comment_parts": {
                "goal": goals,
                "idea": ideas,
                "investment": investments,
                "objective": [p.objective for p in execution["objectives"]],
                "strategy": [s for p in execution["objectives"] for s in p.strategy_list],
                "action": execution["plan_actions"],
                "milestone": execution["milestones"],
                "help": execution["help_requests"],
            },
        }
        | execution
    )


def head_context(plan: AccountPlan, cov, account_ids, window, ideas=None) -> dict:
    """The plan's header, facts, coverage and forecast: what the whole page shows about
    the plan's basics, and what a basics save sends again. ``ideas``: the plan's ideas
    when the caller has read them."""
    from keyplan.forecast.selectors import plan_gap
    from keyplan.sales.models import Opportunity

    return {
        "forecast_gap": plan_gap(plan=plan, account_ids=account_ids, ideas=ideas),
        "facts": selectors.plan_facts(plan, window),
        "amount_not_known": list(
            Opportunity.objects.filter(pk__in=cov.amount_not_known).order_by("name", "pk")
        ),
        "is_draft": plan.status == PlanStatus.DRAFT,
        "team": plan.team.all(),
        "covered": plan.covered_accounts.all(),
    }


def execution_context(request, plan: AccountPlan, cov, steps, ideas=None) -> dict:
    """Objectives → strategies → actions, milestones, help, capacity, health, versions."""
    from django.utils import timezone

    from keyplan.plans.capacity import plan_capacity
    from keyplan.plans.health import plan_health

    today = timezone.localdate()
    execution = selectors.execution(plan, today=today, ideas=ideas)
    progress, actions = execution.objectives, execution.actions
    for action in actions:
        action.overdue_days = (
            (today - action.due_date).days
            if action.status in ("planned", "scheduled") and action.due_date < today
            else 0
        )
    help_requests = list(
        plan.help_requests.select_related("asked_of", "requested_by", "committed_by")
    )
    months, loads = plan_capacity(plan, actions, help_requests)
    for h in help_requests:
        h.can_answer = h.status == "requested" and (
            h.asked_of_id == request.user.pk or h.asked_of.manager_id == request.user.pk
        )
    return {
        "objectives": progress,
        "plan_actions": actions,
        "loose_actions": execution.loose_actions,
        "qualitative_goals": plan.qualitative_goals.order_by("pk"),
        "milestones": list(plan.milestones.select_related("objective")),
        "help_requests": help_requests,
        "capacity_months": months,
        "capacity_rows": loads,
        "over_committed": [row[0].person for row in loads if any(load.over for load in row)],
        "health": plan_health(
            plan, today=today, coverage=cov, steps=steps, progress=progress, actions=actions
        ),
        "recent_versions": plan.versions.select_related("taken_by")
        .defer("content")
        .order_by("-number")[:5],
        "pairings": plan.executive_pairings.select_related(
            "our_executive", "their_executive"
        ).order_by("pk"),
    }


def plan_response(request, plan: AccountPlan, anchor: str = ""):
    """After a change: the refreshed plan body for HTMX, else back to the plan page."""
    plan = visible_plan(request, plan.pk)
    if is_htmx(request):
        return render(request, "plans/_plan_body.html", plan_context(request, plan))
    return redirect(plan.get_absolute_url() + (f"#{anchor}" if anchor else ""))


def form_response(request, template: str, context: dict, slot: str):
    """A form (new, or with its errors): into its slot for HTMX, else as a page."""
    if is_htmx(request):
        response = render(request, template, context)
        if request.method == "POST":
            response["HX-Retarget"] = f"#{slot}"
            response["HX-Reswap"] = "innerHTML"
        return response
    # A page of its own (no JavaScript, or opened in a new tab): a plain form post.
    return render(
        request, "plans/form_page.html", context | {"form_template": template, "full_page": True}
    )
