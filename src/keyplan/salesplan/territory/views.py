"""The territory plan pages: the plans of a fiscal year (one row per rep the user sees)
and one rep's plan, built in Conti's order on one page — facts, strategies (with the
people's hours they need and the capacity table), activities per strategy, objectives
with the realism check and the pipeline math, then goals — with the activity feed and
the versions.

Every change goes through ``salesplan.territory.services`` (permission, step order,
stale save, validation, trail). A save answers with a redirect back to the plan page at
the section it changed; a refused save answers with the whole page again, the refused
form holding what was typed and the reason beside the field (or above the form when the
page was stale). Forms are plain posts: the page works without JavaScript, and forms.js
guards unsaved text as on the account plan page."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyplan.core import words
from keyplan.salesplan.choices import (
    REVENUE_KINDS,
    Channel,
    ObjectiveKind,
    Segment,
    TerritoryPlanStatus,
    TerritoryStep,
)
from keyplan.salesplan.models import (
    Quota,
    StrategyResource,
    TerritoryActivity,
    TerritoryGoal,
    TerritoryObjective,
    TerritoryPlan,
    TerritoryPlanChange,
    TerritoryStrategy,
)
from keyplan.salesplan.periods import Period, planning_year
from keyplan.salesplan.territory import forms as tforms

FEED_SHOWN = 30
REASON_BOXES = 30  # A accounts without a plan given a reason box on the facts step
STEP_ANCHORS = {1: "facts", 2: "strategies", 3: "activities", 4: "objectives", 5: "goals"}
DIMENSION_LABELS = (
    {"A": "A accounts", "B": "B accounts", "C": "C accounts"}
    | dict(Channel.choices)
    | dict(Segment.choices)
)
VERSIONS_SHOWN = 10

# The objective groups of step 4, in the order the method reads them.
OBJECTIVE_GROUPS = [
    (ObjectiveKind.REVENUE_TIER, "Revenue by tier"),
    (ObjectiveKind.REVENUE_LINE, "Revenue by product line"),
    (ObjectiveKind.REVENUE_CHANNEL, "Revenue by channel"),
    (ObjectiveKind.REVENUE_SEGMENT, "Revenue from the customer base and prospects"),
    (ObjectiveKind.NEW_LOGOS, "New logos"),
    (ObjectiveKind.ACTIVITY, "Activity objectives"),
]


def _services():
    from keyplan.salesplan.territory import services

    return services


def _edit_refusal(user, plan) -> str | None:
    from keyplan.salesplan.territory.permissions import territory_edit_refusal

    return territory_edit_refusal(user, plan)


def _year(request) -> Period:
    raw = request.GET.get("year") or request.POST.get("year")
    if raw:
        try:
            return Period(int(raw))
        except ValueError:
            shown = planning_year()
            messages.error(request, f"“{raw}” is not a fiscal year; showing {shown.name}.")
            return shown
    return planning_year()


# ---------------------------------------------------------------------------------------
# The plans of a fiscal year


@dataclass
class PlanRow:
    rep: object
    quota: object = None
    plan: object = None
    step_label: str = ""
    last_change_at: object = None
    last_change_by: object = None
    can_start: bool = False


def plan_rows(*, user, period: Period) -> list[PlanRow]:
    """One row per rep ``user`` sees: their quota for the year, their plan (if any) with
    the step reached and the last change. A fixed number of queries whatever the number
    of reps (the steps of every plan in three)."""
    from keyplan.people.choices import Role
    from keyplan.people.models import User
    from keyplan.people.scope import scope_for
    from keyplan.salesplan.choices import QuotaLevel
    from keyplan.salesplan.territory.permissions import territory_create_refusal
    from keyplan.salesplan.territory.steps import reached_words, step_states

    year = period.fiscal_year
    last = TerritoryPlanChange.objects.filter(plan=OuterRef("pk")).order_by("-at", "-pk")
    plans = {
        p.rep_id: p
        for p in TerritoryPlan.objects.visible_to(user)
        .filter(fiscal_year=year)
        .annotate(
            last_at=Subquery(last.values("at")[:1]),
            last_user=Subquery(last.values("user")[:1]),
        )
    }
    states = step_states(plans.values())
    quotas = {
        q.rep_id: q
        for q in Quota.objects.visible_to(user).filter(
            level=QuotaLevel.REP, fiscal_year=year, quarter=0
        )
    }
    scope = scope_for(user)
    people = User.objects.filter(is_active=True).filter(
        Q(role=Role.REP) | Q(pk__in=list(plans)) | Q(pk__in=list(quotas))
    )
    if not scope.everything:
        people = people.filter(pk__in=scope.user_ids)
    reps = list(people.order_by("first_name", "last_name", "username"))
    changers = {
        u.pk: u
        for u in User.objects.filter(pk__in={p.last_user for p in plans.values() if p.last_user})
    }
    rows = []
    for rep in reps:
        row = PlanRow(rep=rep, quota=quotas.get(rep.pk), plan=plans.get(rep.pk))
        if row.plan:
            row.step_label = reached_words(states[row.plan.pk])
            row.last_change_at = row.plan.last_at or row.plan.updated_at
            row.last_change_by = changers.get(row.plan.last_user)
        else:
            row.can_start = territory_create_refusal(user, rep) is None
        rows.append(row)
    return rows


@require_GET
def plan_list(request):
    period = _year(request)
    rows = plan_rows(user=request.user, period=period)
    mine = next((r for r in rows if r.rep.pk == request.user.pk), None)
    return render(
        request,
        "salesplan/territory/list.html",
        {
            "nav": "territory_plans",
            "period": period,
            "rows": rows,
            "mine": mine,
            "previous_year": period.fiscal_year - 1,
            "next_year": period.fiscal_year + 1,
        },
    )


@require_POST
def plan_start(request):
    from keyplan.people.models import User

    period = _year(request)
    raw = request.POST.get("rep", "")
    rep = User.objects.filter(pk=int(raw), is_active=True).first() if raw.isdigit() else None
    back = f"{reverse('territory_plans')}?year={period.fiscal_year}"
    if rep is None:
        messages.error(request, "Choose the rep whose territory plan to start.")
        return redirect(back)
    try:
        plan = _services().territory_plan_create(
            user=request.user, rep=rep, fiscal_year=period.fiscal_year
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "You may not start this plan.")
        return redirect(back)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(
        request, f"Territory plan started for {rep} · {period.name}. Begin with the facts."
    )
    return redirect(reverse("territory_plan", args=[plan.pk]) + "#facts")


# ---------------------------------------------------------------------------------------
# One plan


def visible_plan(request, pk: int) -> TerritoryPlan:
    """The plan if the user may see it; 404 otherwise (a plan one may not see does not
    exist for them)."""
    return get_object_or_404(
        TerritoryPlan.objects.visible_to(request.user).select_related("rep", "updated_by"),
        pk=pk,
    )


@dataclass
class Kind:
    """One part of the plan the page edits."""

    model: type
    form: type
    step: int
    section: str
    label: str


KINDS = {
    "strategy": Kind(
        TerritoryStrategy, tforms.StrategyForm, TerritoryStep.STRATEGIES, "strategies", "strategy"
    ),
    "resource": Kind(
        StrategyResource,
        tforms.ResourceForm,
        TerritoryStep.STRATEGIES,
        "strategies",
        "person's hours",
    ),
    "activity": Kind(
        TerritoryActivity, tforms.ActivityForm, TerritoryStep.ACTIVITIES, "activities", "activity"
    ),
    "objective": Kind(
        TerritoryObjective,
        tforms.ObjectiveForm,
        TerritoryStep.OBJECTIVES,
        "objectives",
        "objective",
    ),
    "goal": Kind(TerritoryGoal, tforms.GoalForm, TerritoryStep.GOALS, "goals", "goal"),
}


def _part(plan, kind: str, item: int):
    spec = KINDS.get(kind)
    if spec is None:
        raise Http404("No such part of a territory plan.")
    lookup = "strategy__plan" if kind == "resource" else "plan"
    return get_object_or_404(spec.model.objects.all(), pk=item, **{lookup: plan})


def _account_choices(plan, strategies, bound_ids=()) -> list[tuple[int, str]]:
    """The accounts a strategy may aim at, as a list a person can use with hundreds of
    accounts: the rep's A and B accounts, and any account already chosen (or just
    typed), by tier then name. C accounts are aimed at through the tier."""
    from keyplan.accounts.models import Account

    chosen = {a.pk for s in strategies for a in s.target_accounts.all()} | set(bound_ids)
    rows = (
        Account.objects.filter(Q(owner=plan.rep, tier__tier__in=["A", "B"]) | Q(pk__in=chosen))
        .values_list("pk", "name", "tier__tier")
        .order_by("tier__tier", "name", "pk")
    )
    return [(pk, f"{name} ({tier or 'not tiered'})") for pk, name, tier in rows]


def _strategy_initial(s) -> dict:
    return {
        "version": s.version,
        "title": s.title,
        "description": s.description,
        "leverages": list(s.leverages or []),
        "target_tiers": list(s.target_tiers or []),
        "target_account_ids": [a.pk for a in s.target_accounts.all()],
        "first_month": s.first_month,
        "last_month": s.last_month,
    }


def _initial(kind: str, obj) -> dict:
    if kind == "strategy":
        return _strategy_initial(obj)
    if kind == "resource":
        return {
            "version": obj.version,
            "person": obj.person_id,
            "hours_per_month": obj.hours_per_month,
            "role": obj.role,
        }
    if kind == "activity":
        return {
            "version": obj.version,
            "strategy": obj.strategy_id,
            "title": obj.title,
            "owner": obj.owner_id,
            "due_date": obj.due_date,
            "effort_hours": obj.effort_hours,
            "status": obj.status,
        }
    if kind == "objective":
        return {
            "version": obj.version,
            "kind": obj.kind,
            "dimension": obj.dimension,
            "product_line": obj.product_line_id,
            "title": obj.title,
            "target": words.number(obj.target),
            "cadence": obj.cadence,
            "strategies": [s.pk for s in obj.strategies.all()],
        }
    return {"version": obj.version, "text": obj.text}


def _make_form(
    kind: str, data=None, *, initial=None, strategies=(), account_choices=(), people=None
):
    spec = KINDS[kind]
    extra = {}
    if kind in ("activity", "objective"):
        extra["strategies"] = strategies
    if kind in ("activity", "resource"):
        extra["people"] = people
    if kind == "strategy":
        extra["account_choices"] = account_choices
    return spec.form(data, initial=initial or {}, **extra)


def _safe(call, default=None):
    """A figure from a module another part of the team is still writing: the page shows
    its section empty rather than failing when it is not there yet."""
    try:
        return call()
    except (ImportError, AttributeError, NotImplementedError):
        return default


def plan_context(request, plan: TerritoryPlan, *, bound: tuple | None = None) -> dict:
    """Everything the plan page shows. ``bound`` is (slot, form) of a refused save: that
    form takes the place of the empty one, with what was typed and why it was refused."""
    from keyplan.salesplan.territory.steps import steps as step_states

    user = request.user
    refusal = _edit_refusal(user, plan)
    can_edit = refusal is None
    states = step_states(plan)
    by_step = {int(s.step): s for s in states}
    strategies = list(
        plan.strategies.prefetch_related(
            "target_accounts", "resources__person", "objectives"
        ).order_by("pk")
    )
    activities = list(
        plan.activities.select_related("owner", "strategy").order_by("due_date", "pk")
    )
    objectives = list(
        plan.objectives.select_related("product_line")
        .prefetch_related("strategies")
        .order_by("kind", "dimension", "pk")
    )
    goals = list(plan.goals.order_by("pk"))
    by_strategy: dict[int, list] = {}
    for a in activities:
        by_strategy.setdefault(a.strategy_id, []).append(a)
    for s in strategies:
        s.activity_list = by_strategy.get(s.pk, [])
        s.resource_list = list(s.resources.all())
        s.leverage_labels = [
            tforms.Leverage(v).label for v in s.leverages or [] if v in tforms.Leverage.values
        ]
        s.account_list = list(s.target_accounts.all())
        s.objective_list = list(s.objectives.all())

    edit = request.GET.get("edit", "")
    bound_slot, bound_form = bound or ("", None)
    bound_ids = []
    if bound_form is not None and "target_account_ids" in bound_form.fields:
        bound_ids = [int(v) for v in bound_form.data.getlist("target_account_ids") if v.isdigit()]
    account_choices = _account_choices(plan, strategies, bound_ids) if can_edit else []
    people = tforms.people_choices() if can_edit else []  # one read for every form

    def form_for(slot: str, kind: str, obj=None, **initial):
        """The form shown in ``slot``: the refused one, or a fresh one."""
        if slot == bound_slot:
            return bound_form
        init = _initial(kind, obj) if obj is not None else initial
        form = _make_form(
            kind,
            initial=init,
            strategies=strategies,
            account_choices=account_choices,
            people=people,
        )
        form.auto_id = f"id_{slot}_%s"  # many forms on one page: each its own ids
        return form

    def opened(step) -> bool:
        return can_edit and by_step[int(step)].open

    # Read once, shown in their steps and handed to the realism check that reads them too.
    facts = _facts(plan)
    reasons = plan.no_plan_reasons or {}
    facts_form = None
    if opened(TerritoryStep.FACTS):
        facts_form = (
            bound_form
            if bound_slot == "facts"
            else tforms.FactsForm(
                initial={"version": plan.version, "note": plan.facts_note}
                | {f"reason_{pk}": reason for pk, reason in reasons.items()},
                # A box per A account without a plan, the largest first (bounded).
                accounts=[
                    (f.account_id, f.name)
                    for f in getattr(facts, "a_without_plan", [])[:REASON_BOXES]
                ],
            )
        )
    new_forms = {}
    if opened(TerritoryStep.STRATEGIES) and (len(strategies) < 5 or bound_slot == "strategy-new"):
        new_forms["strategy"] = form_for("strategy-new", "strategy")
    for s in strategies:
        s.slot = f"strategy-{s.pk}"
        s.edit_form = (
            form_for(s.slot, "strategy", s)
            if opened(TerritoryStep.STRATEGIES) and edit == s.slot or bound_slot == s.slot
            else None
        )
        s.resource_form_slot = f"resource-new-{s.pk}"
        s.resource_hidden = [("strategy_id", s.pk)]
        s.activity_form_slot = f"activity-new-{s.pk}"
        s.resource_form = (
            form_for(s.resource_form_slot, "resource") if opened(TerritoryStep.STRATEGIES) else None
        )
        for r in s.resource_list:
            r.slot = f"resource-{r.pk}"
            r.edit_form = (
                form_for(r.slot, "resource", r)
                if opened(TerritoryStep.STRATEGIES) and edit == r.slot or bound_slot == r.slot
                else None
            )
        s.activity_form = (
            form_for(s.activity_form_slot, "activity", strategy=s.pk)
            if opened(TerritoryStep.ACTIVITIES)
            else None
        )
        for a in s.activity_list:
            a.slot = f"activity-{a.pk}"
            a.edit_form = (
                form_for(a.slot, "activity", a)
                if opened(TerritoryStep.ACTIVITIES) and edit == a.slot or bound_slot == a.slot
                else None
            )
    if opened(TerritoryStep.OBJECTIVES):
        new_forms["objective"] = form_for("objective-new", "objective")
    groups = []
    for kind, label in OBJECTIVE_GROUPS:
        items = [o for o in objectives if o.kind == kind]
        for o in items:
            o.slot = f"objective-{o.pk}"
            o.strategy_titles = [s.title for s in o.strategies.all()]
            o.edit_form = (
                form_for(o.slot, "objective", o)
                if opened(TerritoryStep.OBJECTIVES) and edit == o.slot or bound_slot == o.slot
                else None
            )
        for o in items:
            about = DIMENSION_LABELS.get(o.dimension, o.dimension) or (
                o.product_line.name if o.product_line else ""
            )
            # Said once: a title named from what it measures already says it.
            o.dimension_label = "" if about.lower() in o.title.lower() else about
        total = None
        if kind in REVENUE_KINDS and items:
            total = sum((o.target for o in items), Decimal(0))
        groups.append({"kind": kind, "label": label, "objectives": items, "total": total})
    if opened(TerritoryStep.GOALS):
        new_forms["goal"] = form_for("goal-new", "goal")
    for g in goals:
        g.slot = f"goal-{g.pk}"
        g.edit_form = (
            form_for(g.slot, "goal", g)
            if opened(TerritoryStep.GOALS) and edit == g.slot or bound_slot == g.slot
            else None
        )
    version_form = (
        (bound_form if bound_slot == "version" else tforms.VersionTakeForm()) if can_edit else None
    )

    # Someone else reading the rep's plan (their manager) reads about the rep, not "you".
    third_person = plan.rep_id != request.user.pk
    pipeline = _safe(lambda: _pipeline(plan, third_person=third_person))
    capacity = _safe(lambda: _capacity(plan))
    return {
        "nav": "territory_plans",
        "plan": plan,
        "period": plan.period,
        "can_edit": can_edit,
        "edit_refusal": refusal,
        "steps": states,
        "step_rows": [
            {"state": s, "anchor": STEP_ANCHORS[int(s.step)], "missing": _missing(s)}
            for s in states
        ],
        "facts_step": by_step[1],
        "strategies_step": by_step[2],
        "activities_step": by_step[3],
        "objectives_step": by_step[4],
        "goals_step": by_step[5],
        "all_done": all(s.done for s in states),
        "strategies": strategies,
        "activities": activities,
        "objective_groups": groups,
        "objectives": objectives,
        "goals": goals,
        "facts_form": facts_form,
        "new_forms": new_forms,
        "version_form": version_form,
        "bound_slot": bound_slot,
        "facts": facts,
        # A accounts are worked proactively: each has an account plan or a reason.
        "a_unexplained": [
            f for f in getattr(facts, "a_without_plan", []) if str(f.account_id) not in reasons
        ],
        "a_explained": [
            (f, reasons[str(f.account_id)])
            for f in getattr(facts, "a_without_plan", [])
            if str(f.account_id) in reasons
        ],
        "realism": _safe(
            lambda: _realism(plan, facts, pipeline, capacity, str(plan.rep) if third_person else "")
        ),
        "pipeline": pipeline,
        "capacity": capacity,
        "feed": _feed(plan),
        "feed_shown": FEED_SHOWN,
        "versions": list(
            plan.versions.select_related("taken_by")
            .defer("content")
            .order_by("-number")[:VERSIONS_SHOWN]
        ),
        "is_draft": plan.status == TerritoryPlanStatus.DRAFT,
        "is_active": plan.status == TerritoryPlanStatus.ACTIVE,
        "is_archived": plan.status == TerritoryPlanStatus.ARCHIVED,
        "quota": Quota.objects.filter(
            level="rep", rep=plan.rep, fiscal_year=plan.fiscal_year, quarter=0
        ).first(),
    }


def _missing(state) -> str:
    """What an open step still needs, in words (whatever the step state calls it)."""
    value = getattr(state, "missing", "") or ""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def _facts(plan):
    def read():
        from keyplan.salesplan.facts import territory_facts

        return territory_facts(rep=plan.rep, fiscal_year=plan.fiscal_year)

    return _safe(read)


def _realism(plan, facts, pipeline, capacity, who=""):
    from keyplan.salesplan.realism import realism

    return realism(
        plan,
        facts=facts,
        need=pipeline,
        capacity=(capacity["months"], capacity["rows"]) if capacity else None,
        who=who,
    )


def _pipeline(plan, *, third_person=False):
    from keyplan.salesplan.pipeline import territory_need

    return territory_need(plan, third_person=third_person)


def _capacity(plan):
    """(months, rows) as the account plan page's capacity table reads them."""
    from keyplan.plans.capacity import territory_capacity

    result = territory_capacity(plan)
    if isinstance(result, tuple) and len(result) == 2:
        months, rows = result
    else:
        months, rows = getattr(result, "months", []), getattr(result, "rows", [])
    return {
        "months": months,
        "rows": rows,
        "over": [row[0].person for row in rows if row and any(load.over for load in row)],
    }


def _feed(plan) -> list:
    """The latest changes, newest first, in the trail's words (names, labels, amounts)."""
    from keyplan.plans.choices import ChangeAction
    from keyplan.salesplan.territory import versions as tversions

    changes = list(plan.changes.select_related("user").order_by("-at", "-pk")[:FEED_SHOWN])
    for c in changes:
        c.event = tversions.change_words(c)
        # What was added is named in the line itself; its fields are for changes.
        c.rows = tversions.change_rows(c) if c.action == ChangeAction.UPDATED else []
    return changes


@require_GET
def plan_page(request, pk: int):
    plan = visible_plan(request, pk)
    return render(request, "salesplan/territory/plan.html", plan_context(request, plan))


def _page_again(request, plan, slot: str, form, status: int = 400):
    """The plan page again with a refused form in its place (what was typed kept)."""
    plan = visible_plan(request, plan.pk)
    context = plan_context(request, plan, bound=(slot, form))
    context["refused_slot"] = slot
    return render(request, "salesplan/territory/plan.html", context, status=status)


def _back(plan, anchor: str):
    return redirect(reverse("territory_plan", args=[plan.pk]) + f"#{anchor}")


def _conflict_status(exc) -> int:
    from keyplan.plans.services.common import EditConflict

    return 409 if isinstance(exc, EditConflict) else 400


def _refuse_when_read_only(request, plan):
    refusal = _edit_refusal(request.user, plan)
    if refusal:
        raise PermissionDenied(refusal)


def _reason_accounts(request, plan) -> list[tuple[int, str]]:
    """The accounts of the plan's rep the posted form gives a no-plan reason for (the
    page shows a box per A account without an account plan; one query)."""
    from keyplan.accounts.models import Account

    ids = [
        int(k.removeprefix("reason_"))
        for k in request.POST
        if k.startswith("reason_") and k.removeprefix("reason_").isdigit()
    ]
    if not ids:
        return []
    return list(
        Account.objects.filter(pk__in=ids, owner_id=plan.rep_id)
        .order_by("name", "pk")
        .values_list("pk", "name")
    )


@require_POST
def facts_review_view(request, pk: int):
    plan = visible_plan(request, pk)
    _refuse_when_read_only(request, plan)
    form = tforms.FactsForm(request.POST, accounts=_reason_accounts(request, plan))
    if form.is_valid():
        try:
            _services().facts_review(
                user=request.user,
                plan=plan,
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"] or None,
                reasons=form.reasons(),
            )
        except ValidationError as exc:
            add_errors(form, exc)
            return _page_again(request, plan, "facts", form, _conflict_status(exc))
        messages.success(request, "Facts read. Next: one to five strategies.")
        return _back(plan, "strategies")
    return _page_again(request, plan, "facts", form)


def _service_data(kind: str, form) -> dict:
    """The form's values as the service takes them (ids and objects alike; the service
    says when one is not this plan's)."""
    data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
    if kind == "objective" and not data.get("cadence"):
        data.pop("cadence", None)
    return data


# A service's field name → the form field it belongs beside, when they differ.
FIELD_OF = {"facts_note": "note"}


def add_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form: beside the field it names, else above the form
    (a locked step or a stale page is about the whole form, said as it is)."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.message_dict.items():
        target = FIELD_OF.get(field, field)
        if target in form.fields and target != "version":
            for message in errors:
                form.add_error(target, message)
        else:
            for message in errors:
                form.add_error(None, message)


@require_http_methods(["GET", "POST"])
def part_save(request, pk: int, kind: str, item: int | None = None):
    """Add or change one part of the plan (a strategy, a person's hours, an activity, an
    objective or a goal). A GET opens the plan page with that form open."""
    if kind not in KINDS:
        raise Http404("No such part of a territory plan.")
    plan = visible_plan(request, pk)
    instance = _part(plan, kind, item) if item else None
    if request.method == "GET":
        slot = f"{kind}-{item}" if item else f"{kind}-new"
        return redirect(reverse("territory_plan", args=[plan.pk]) + f"?edit={slot}#{slot}")
    _refuse_when_read_only(request, plan)
    spec = KINDS[kind]
    strategy = None
    if kind == "resource":
        strategy = (
            instance.strategy
            if instance
            else get_object_or_404(
                TerritoryStrategy, pk=request.POST.get("strategy_id") or 0, plan=plan
            )
        )
    if instance:
        slot = f"{kind}-{instance.pk}"
    elif kind in ("resource", "activity"):
        parent = strategy.pk if strategy else request.POST.get("strategy", "")
        slot = f"{kind}-new-{parent}"
    else:
        slot = f"{kind}-new"
    strategies = list(plan.strategies.order_by("pk"))
    account_choices = []
    if kind == "strategy":
        bound_ids = [int(v) for v in request.POST.getlist("target_account_ids") if v.isdigit()]
        account_choices = _account_choices(
            plan, list(plan.strategies.prefetch_related("target_accounts")), bound_ids
        )
    form = _make_form(kind, request.POST, strategies=strategies, account_choices=account_choices)
    form.auto_id = f"id_{slot}_%s"
    if not form.is_valid():
        return _page_again(request, plan, slot, form)
    version = form.cleaned_data.get("version") or None
    services = _services()
    data = _service_data(kind, form)
    done_before = {int(s.step) for s in _steps(plan) if s.done}
    try:
        if kind == "resource":
            services.resource_save(
                user=request.user, strategy=strategy, data=data, resource=instance, version=version
            )
        else:
            save = getattr(services, f"{kind}_save")
            save(user=request.user, plan=plan, data=data, version=version, **{kind: instance})
    except ValidationError as exc:
        add_errors(form, exc)
        return _page_again(request, plan, slot, form, _conflict_status(exc))
    messages.success(
        request,
        f"{spec.label.capitalize()} {'saved' if instance else 'added'}."
        + _next_words(plan, done_before),
    )
    return _back(plan, slot if instance else spec.section)


def _steps(plan):
    from keyplan.salesplan.territory.steps import steps

    return steps(plan)


def _next_words(plan, done_before: set[int]) -> str:
    """When a save finishes a step: that it is done and what comes next, as the facts
    step says it ("Next: …"), so the rep is not left at a finished step."""
    states = _steps(plan)
    finished = [s for s in states if s.done and int(s.step) not in done_before]
    if not finished:
        return ""
    following = next((s for s in states if not s.done), None)
    if following is None:
        return f" {finished[-1].label} done: every step is, the plan can be activated."
    todo = following.missing[:1].lower() + following.missing[1:]
    return f" {finished[-1].label} done. Next, {following.label.lower()}: {todo}"


@require_POST
def part_delete(request, pk: int, kind: str, item: int):
    plan = visible_plan(request, pk)
    instance = _part(plan, kind, item)
    _refuse_when_read_only(request, plan)
    spec = KINDS[kind]
    delete = getattr(_services(), f"{kind}_delete")
    try:
        delete(user=request.user, version=request.POST.get("version") or None, **{kind: instance})
    except (ValidationError, PermissionDenied) as exc:
        messages.error(
            request,
            " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc),
        )
    else:
        messages.success(request, f"{spec.label.capitalize()} “{instance}” removed.")
    return _back(plan, spec.section)


@require_POST
def plan_status(request, pk: int, action: str):
    """Activate (every step done; a version is taken) or archive the plan."""
    plan = visible_plan(request, pk)
    _refuse_when_read_only(request, plan)
    services = _services()
    call = {
        "activate": services.territory_plan_activate,
        "archive": services.territory_plan_archive,
    }.get(action)
    if call is None:
        raise Http404("No such change of status.")
    try:
        call(user=request.user, plan=plan, version=request.POST.get("version") or None)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(
            request,
            " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc),
        )
    else:
        messages.success(
            request,
            "The plan is active: a version of it was kept."
            if action == "activate"
            else "The plan is archived: it is kept as it is, read-only.",
        )
    return _back(plan, "status")


@require_POST
def version_take(request, pk: int):
    plan = visible_plan(request, pk)
    _refuse_when_read_only(request, plan)
    form = tforms.VersionTakeForm(request.POST)
    if not form.is_valid():
        return _page_again(request, plan, "version", form)
    try:
        version = _services().territory_version_take(
            user=request.user, plan=plan, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return _page_again(request, plan, "version", form)
    messages.success(request, f"Version {getattr(version, 'number', '')} saved.".replace("  ", " "))
    return _back(plan, "versions")


@require_GET
def version_compare(request, pk: int):
    """Two versions side by side: what was added, removed and changed in between (or a
    version against the plan as it is now)."""
    from keyplan.salesplan.territory import versions as tversions

    plan = visible_plan(request, pk)
    all_versions = list(plan.versions.select_related("taken_by").order_by("-number"))
    by_number = {str(v.number): v for v in all_versions}
    old = by_number.get(request.GET.get("old", ""))
    new_key = request.GET.get("new", "now")
    new = by_number.get(new_key)
    if old is None and all_versions:
        old = all_versions[0]
    diff = None
    if old is not None:
        new_content = new.content if new else tversions.snapshot(plan)
        diff = tversions.compare(old.content, new_content)
    return render(
        request,
        "salesplan/territory/versions.html",
        {
            "nav": "territory_plans",
            "plan": plan,
            "versions": all_versions,
            "old": old,
            "new": new,
            "diff": diff,
        },
    )
