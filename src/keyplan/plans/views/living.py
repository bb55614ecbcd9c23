"""A plan that stays alive: confirming it is current, reviews and versions, comparing
two versions, each person's work across plans, and the team's capacity."""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from keyplan.people.models import Team, User
from keyplan.people.scope import scope_for
from keyplan.plans import services, versions
from keyplan.plans.capacity import add_months, capacity, month_start
from keyplan.plans.choices import OPEN_ACTION_STATUSES, HelpStatus, InvestmentStatus
from keyplan.plans.meetings import waiting_for
from keyplan.plans.models import AccountPlan, Action, HelpRequest, InvestmentCase, PlanVersion
from keyplan.plans.permissions import decide_refusal, deciders_for
from keyplan.plans.views.common import names_in_words, refusals_as_messages, visible_plan
from keyplan.salesplan.territory.selectors import territory_work

MY_WORK_ROWS = 100
CAPACITY_MONTHS = 6
CAPACITY_PEOPLE = 60


@require_POST
@refusals_as_messages
def plan_confirm_view(request, pk: int):
    plan = visible_plan(request, pk)
    action = request.POST.get("action")
    note = request.POST.get("note", "")
    if action == "confirm":
        services.plan_confirm(plan=plan, user=request.user)
        messages.success(request, "Confirmed: the plan is current.")
    elif action == "review":
        services.plan_confirm(plan=plan, user=request.user, review=True, note=note)
        messages.success(request, "Review recorded and a version of the plan kept.")
    elif action == "version":
        version = services.plan_save_version(plan=plan, user=request.user, note=note)
        messages.success(request, f"Version {version.number} kept.")
    else:
        raise ValidationError(f"Unknown action “{action}”.")
    return redirect(plan.get_absolute_url() + "#health")


@require_GET
def plan_versions_view(request, pk: int):
    """The plan's versions, and any two side by side: what was added, removed, changed."""
    plan = visible_plan(request, pk)
    all_versions = list(plan.versions.select_related("taken_by").defer("content"))
    numbers = [v.number for v in all_versions]
    comparison = None
    old_n, new_n = request.GET.get("a"), request.GET.get("b")
    if old_n and new_n:
        if not (old_n.isdigit() and new_n.isdigit()):
            raise PermissionDenied("Choose two versions.")
        old = get_object_or_404(PlanVersion, plan=plan, number=int(old_n))
        new = None if new_n == "0" else get_object_or_404(PlanVersion, plan=plan, number=int(new_n))
        diff = versions.compare(old.content, new.content if new else versions.snapshot(plan))
        comparison = {
            "old": old,
            "new": new,
            **versions.present(
                diff,
                old_name=f"v{old.number}",
                new_name=f"v{new.number}" if new else "the plan as it is now",
            ),
        }
    return render(
        request,
        "plans/versions.html",
        {
            "nav": "plans",
            "plan": plan,
            "versions": all_versions,
            "numbers": numbers,
            "comparison": comparison,
            "a": old_n,
            "b": new_n,
        },
    )


@require_GET
def my_work_view(request):
    """Each user's actions across plans — overdue, due this week, the next 30 days — and
    the requests and approvals waiting for them."""
    user = request.user
    today = timezone.localdate()
    visible = AccountPlan.objects.visible_to(user).values("pk")
    actions = (
        Action.objects.filter(owner=user, status__in=OPEN_ACTION_STATUSES, plan__in=visible)
        .exclude(plan__status="archived")
        .select_related("plan__account", "strategy__objective")
        .order_by("due_date", "pk")
    )
    week_end = today + datetime.timedelta(days=7)
    month_end = today + datetime.timedelta(days=30)
    cases = (
        InvestmentCase.objects.filter(status=InvestmentStatus.SUBMITTED, idea__plan__in=visible)
        .exclude(idea__plan__status="archived")
        .select_related("idea__plan__account", "submitted_by")
    )
    to_decide = [
        c
        for c in cases.exclude(submitted_by=user)[:MY_WORK_ROWS]
        if decide_refusal(user, c) is None
    ]
    context = {
        "nav": "mywork",
        "overdue": list(actions.filter(due_date__lt=today)[:MY_WORK_ROWS]),
        "this_week": list(actions.filter(due_date__range=(today, week_end))[:MY_WORK_ROWS]),
        "next_30": list(
            actions.filter(due_date__gt=week_end, due_date__lte=month_end)[:MY_WORK_ROWS]
        ),
        "asked_of_me": HelpRequest.objects.filter(
            Q(asked_of=user) | Q(asked_of__manager=user), status=HelpStatus.REQUESTED
        )
        .exclude(plan__status="archived")
        .select_related("plan__account", "requested_by")
        .order_by("needed_by")[:MY_WORK_ROWS],
        "my_requests": HelpRequest.objects.filter(requested_by=user, status=HelpStatus.REQUESTED)
        .exclude(plan__status="archived")
        .select_related("plan__account", "asked_of")
        .order_by("needed_by")[:MY_WORK_ROWS],
        "to_decide": to_decide,
        "my_cases": _with_deciders(cases.filter(submitted_by=user), user),
        "today": today,
        "territory": territory_work(user, today, limit=MY_WORK_ROWS),
        "meetings": waiting_for(user),
    }
    return render(request, "plans/my_work.html", context)


def _with_deciders(cases, user) -> list:
    """The user's submitted cases, each saying who was asked to decide it (the managers
    come with the cases: no query per case)."""
    cases = list(
        cases.select_related(
            "idea__plan__owner__manager",
            "idea__plan__owner__team__manager",
            "submitted_by__manager",
            "submitted_by__team__manager",
        )[:MY_WORK_ROWS]
    )
    for case in cases:
        people = deciders_for(case.idea.plan, user)
        case.deciders = names_in_words(people) if people else ""
    return cases


@require_GET
def capacity_view(request):
    """Hours planned per person per month across all plans against the hours they have,
    for the people the user may see (a team at a time when there are many)."""
    scope = scope_for(request.user)
    people = User.objects.filter(is_active=True)
    if not scope.everything:
        people = people.filter(pk__in=scope.user_ids)
    teams = (
        Team.objects.filter(Q(members__in=people) | Q(manager__in=people))
        .distinct()
        .order_by("name")
    )
    team = request.GET.get("team", "")
    if team.isdigit() and len(team) <= 12:
        people = people.filter(team_id=int(team))
    people = (
        people.filter(
            Q(plan_actions__isnull=False)
            | Q(team__isnull=False)
            | Q(help_requests__status=HelpStatus.COMMITTED)
            # Territory work: an executive who gives a strategy hours has no team.
            | Q(territory_activities__isnull=False)
            | Q(strategy_resources__isnull=False)
        )
        .distinct()
        .order_by("last_name", "first_name")
    )
    total = people.count()
    first = month_start(timezone.localdate())
    months = [add_months(first, i) for i in range(CAPACITY_MONTHS)]
    rows = capacity(people[:CAPACITY_PEOPLE], months)
    return render(
        request,
        "plans/capacity.html",
        {
            "nav": "capacity",
            "months": months,
            "rows": rows,
            "teams": teams,
            "team": team,
            "total": total,
            "shown": min(total, CAPACITY_PEOPLE),
            "over": sum(1 for row in rows if any(load.over for load in row)),
        },
    )


def _hours(text: str) -> Decimal | None:
    """The hours typed when committing: empty keeps the team's estimate."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValidationError(f"“{text}” is not a number of hours.") from None


@require_POST
def help_respond_view(request, pk: int):
    """The person asked for help (or their manager) commits or declines, from My work or
    the plan page; they may not see the account itself, so this is keyed on the request."""
    help_request = get_object_or_404(
        HelpRequest.objects.filter(Q(asked_of=request.user) | Q(asked_of__manager=request.user)),
        pk=pk,
    )
    try:
        services.help_respond(
            request=help_request,
            user=request.user,
            commit=request.POST.get("decision") == "commit",
            response=request.POST.get("response", ""),
            version=request.POST.get("version") or None,
            hours=_hours(request.POST.get("hours", "")),
        )
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"Answered: {help_request.what}.")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else "my_work")
