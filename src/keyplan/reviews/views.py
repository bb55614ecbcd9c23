"""The review pages: a quarter's reviews (the manager schedules, everyone reads what they
see), one sitting, and review mode walking the sitting plan by plan.

Reading follows ``ReviewSitting.objects.visible_to`` (a sitting out of reach is a 404);
changing asks ``reviews.permissions`` through the services (a refusal is a 403 page with
its reason, or the form again with the service's message beside what was typed)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from keyplan.core import words
from keyplan.reviews import selectors, services
from keyplan.reviews.forms import ActionForm, OutcomeForm, SittingForm
from keyplan.reviews.models import ReviewItem, ReviewSitting
from keyplan.reviews.permissions import run_refusal
from keyplan.salesplan.periods import Period, parse_period


def _quarter(raw: str) -> tuple[Period, str]:
    raw = (raw or "").strip()
    if not raw:
        return selectors.current_quarter(), ""
    try:
        period = parse_period(raw)
    except ValueError as exc:
        return selectors.current_quarter(), f"{exc} Showing {selectors.current_quarter().name}."
    if not period.quarter:
        return selectors.current_quarter(), (
            f"Reviews are quarterly: “{raw}” is a year. Showing {selectors.current_quarter().name}."
        )
    return period, ""


def _next(period: Period) -> Period:
    return (
        Period(period.fiscal_year + 1, 1)
        if period.quarter == 4
        else Period(period.fiscal_year, period.quarter + 1)
    )


def _messages_of(exc) -> dict[str, list[str]]:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"__all__": list(getattr(exc, "messages", [str(exc)]))}


def _slot_form(row, period) -> SittingForm:
    prefix = f"r{row.rep.pk}"
    if row.slot is not None:
        local = timezone.localtime(row.slot.start)
        initial = {"day": local.date(), "time": local.time(), "minutes": row.slot.minutes}
    else:
        initial = {
            "day": max(period.start, timezone.localdate()),
            "time": selectors.working_hours().start,
            "minutes": max(1, len(row.plans)) * selectors.minutes_per_plan(),
        }
    return SittingForm(prefix=prefix, initial=initial)


def _quarter_page(request, period, problem="", *, bound=None, errors=None, status=200):
    user = request.user
    reps = selectors.team_reps(user)
    plan = selectors.quarter_plan(user=user, period=period) if reps else None
    if plan is not None:
        for row in plan.rows:
            row.form = (bound or {}).get(row.rep.pk) or _slot_form(row, period)
            row.errors = (errors or {}).get(row.rep.pk, [])
            row.chosen = bound is None or row.rep.pk in bound
    in_quarter = list(
        ReviewSitting.objects.visible_to(user)
        .filter(fiscal_year=period.fiscal_year, quarter=period.quarter)
        .select_related("rep", "manager")
        .order_by("starts_at", "pk")
    )
    mine_as_rep = [s for s in in_quarter if s.rep_id == user.pk]
    chaired = {r.rep.pk for r in plan.rows} if plan else set()
    others = [s for s in in_quarter if s.rep_id != user.pk and s.rep_id not in chaired]
    now = timezone.now()
    for s in in_quarter:
        s.state_now = s.state(now)
    return render(
        request,
        "reviews/quarter.html",
        {
            "nav": "reviews",
            "period": period,
            "previous": period.previous,
            "next": _next(period),
            "problem": problem,
            "plan": plan,
            "mine": mine_as_rep,
            "others": others,
            "page_errors": (errors or {}).get(None, []),
        },
        status=status,
    )


@require_GET
def quarter_view(request):
    period, problem = _quarter(request.GET.get("quarter", ""))
    return _quarter_page(request, period, problem)


class _Refused(Exception):
    pass


@require_POST
def schedule_view(request):
    """Schedule the chosen reps' sittings, all or none: one refused row (a clash, a day
    outside the quarter) changes nothing and shows the page again with what was typed."""
    period, problem = _quarter(request.POST.get("quarter", ""))
    if problem:
        return _quarter_page(request, period, errors={None: [problem]}, status=400)
    reps = {r.pk: r for r in selectors.team_reps(request.user)}
    chosen = []
    for raw in request.POST.getlist("rep"):
        if not raw.isdigit() or int(raw) not in reps:
            raise PermissionDenied("You schedule reviews only for the people of your team.")
        chosen.append(reps[int(raw)])
    if not chosen:
        return _quarter_page(
            request,
            period,
            errors={None: ["Tick the reps whose sittings to schedule."]},
            status=400,
        )
    bound = {r.pk: SittingForm(request.POST, prefix=f"r{r.pk}") for r in chosen}
    errors: dict = {}
    try:
        with transaction.atomic():
            for rep in chosen:
                form = bound[rep.pk]
                if not form.is_valid():
                    errors[rep.pk] = [
                        f"{form.fields[f].label}: {e}" if f in form.fields else e
                        for f, es in form.errors.items()
                        for e in es
                    ]
                    continue
                try:
                    services.sitting_schedule(
                        user=request.user,
                        rep=rep,
                        period=period,
                        starts_at=form.starts_at(),
                        minutes=form.cleaned_data["minutes"],
                        location=form.cleaned_data["location"],
                    )
                except ValidationError as exc:
                    errors[rep.pk] = [e for es in _messages_of(exc).values() for e in es]
            if errors:
                raise _Refused
    except _Refused:
        return _quarter_page(request, period, bound=bound, errors=errors, status=400)
    messages.success(
        request,
        f"Scheduled {words.plural(len(chosen), 'sitting')} for {period.name}: "
        + ", ".join(str(r) for r in chosen)
        + ".",
    )
    return redirect(reverse("reviews_quarter") + f"?quarter={period.name.replace(' ', '+')}")


def _sitting(request, pk) -> ReviewSitting:
    return get_object_or_404(
        ReviewSitting.objects.visible_to(request.user).select_related("rep__team", "manager"),
        pk=pk,
    )


def _runnable(request, pk) -> ReviewSitting:
    """The sitting a POST changes: seen (else 404), and the user may run it (else 403
    with the reason) before anything posted is read."""
    sitting = _sitting(request, pk)
    refusal = run_refusal(request.user, sitting)
    if refusal:
        raise PermissionDenied(refusal)
    return sitting


def _items(sitting) -> list[ReviewItem]:
    return list(
        sitting.items.select_related("plan__account", "plan__owner", "plan_version").order_by(
            "order", "pk"
        )
    )


def _sitting_page(request, sitting, *, form=None, status=200):
    refusal = run_refusal(request.user, sitting)
    if form is None:
        local = timezone.localtime(sitting.starts_at)
        form = SittingForm(
            initial={
                "day": local.date(),
                "time": local.time(),
                "minutes": sitting.minutes,
                "location": sitting.location,
                "notes": sitting.notes,
                "version": sitting.version,
            }
        )
    return render(
        request,
        "reviews/sitting.html",
        {
            "nav": "reviews",
            "sitting": sitting,
            "state": sitting.state(),
            "items": _items(sitting),
            "can_run": refusal is None,
            "refusal": refusal,
            "form": form,
            "trail": sitting.changes.select_related("user")[:30],
        },
        status=status,
    )


@require_GET
def sitting_view(request, pk: int):
    return _sitting_page(request, _sitting(request, pk))


@require_POST
def sitting_edit_view(request, pk: int):
    sitting = _runnable(request, pk)
    form = SittingForm(request.POST)
    if form.is_valid():
        try:
            services.sitting_update(
                sitting=sitting,
                user=request.user,
                version=form.cleaned_data["version"],
                starts_at=form.starts_at(),
                minutes=form.cleaned_data["minutes"],
                location=form.cleaned_data["location"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as exc:
            for field, errs in _messages_of(exc).items():
                for e in errs:
                    form.add_error(None if field not in ("minutes", "location") else field, e)
        else:
            messages.success(request, "Sitting saved.")
            return redirect(sitting.get_absolute_url())
    return _sitting_page(request, sitting, form=form, status=400)


@require_POST
def sitting_cancel_view(request, pk: int):
    sitting = _runnable(request, pk)
    try:
        services.sitting_cancel(
            sitting=sitting, user=request.user, version=request.POST.get("version")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Sitting cancelled.")
    return redirect(sitting.get_absolute_url())


def _step(raw, count: int) -> int:
    try:
        step = int(raw)
    except (TypeError, ValueError):
        return 1
    return min(max(step, 1), max(count, 1))


def _people(sitting, plan) -> list:
    """Who may own an action decided at the review: the rep, the manager, the plan's
    owner and team (element_save still checks each can see the account)."""
    people = {p.pk: p for p in (sitting.rep, sitting.manager, plan.owner) if p is not None}
    for person in plan.team.all():
        people.setdefault(person.pk, person)
    return sorted(people.values(), key=lambda p: (str(p).lower(), p.pk))


def _strategies(plan) -> list:
    from keyplan.plans.models import Strategy

    return list(
        Strategy.objects.filter(objective__plan=plan)
        .select_related("objective")
        .order_by("objective__due_date", "objective_id", "pk")
    )


def _review_page(request, sitting, step, *, outcome_form=None, action_form=None, status=200):
    items = _items(sitting)
    if not items:
        raise PermissionDenied("This sitting has no plans on its agenda.")
    step = _step(step, len(items))
    item = items[step - 1]
    refusal = run_refusal(request.user, sitting)
    if refusal is None:
        outcome_form = outcome_form or OutcomeForm(
            initial={
                "item": item.pk,
                "version": item.version,
                "outcome": item.outcome or None,
                "decisions": item.decisions,
            }
        )
        action_form = action_form or ActionForm(
            initial={
                "item": item.pk,
                "owner": item.plan.owner_id,
                "due_date": timezone.localdate() + datetime.timedelta(days=14),
            },
            people=_people(sitting, item.plan),
            strategies=_strategies(item.plan),
        )
    return render(
        request,
        "reviews/review_mode.html",
        {
            "nav": "reviews",
            "sitting": sitting,
            "state": sitting.state(),
            "items": items,
            "item": item,
            "step": step,
            "previous_step": step - 1 if step > 1 else None,
            "next_step": step + 1 if step < len(items) else None,
            "can_run": refusal is None,
            "refusal": refusal,
            "outcome_form": outcome_form,
            "action_form": action_form,
            "missing": [i for i in items if not i.outcome],
            **selectors.review_brief(item=item),
        },
        status=status,
    )


@require_GET
def review_mode_view(request, pk: int):
    return _review_page(request, _sitting(request, pk), request.GET.get("step"))


def _posted_item(request, sitting) -> tuple[ReviewItem, int]:
    raw = request.POST.get("item", "")
    if not raw.isdigit():
        raise Http404("Choose a plan of the sitting.")
    items = _items(sitting)
    for number, item in enumerate(items, start=1):
        if item.pk == int(raw):
            return item, number
    raise Http404("That plan is not on this sitting's agenda.")


def _review_url(sitting, step) -> str:
    return reverse("review_mode", args=[sitting.pk]) + f"?step={step}"


@require_POST
def outcome_view(request, pk: int):
    sitting = _runnable(request, pk)
    item, step = _posted_item(request, sitting)
    form = OutcomeForm(request.POST)
    if form.is_valid():
        try:
            services.item_record(
                item=item,
                user=request.user,
                version=form.cleaned_data["version"],
                outcome=form.cleaned_data["outcome"],
                decisions=form.cleaned_data["decisions"],
            )
        except ValidationError as exc:
            for field, errs in _messages_of(exc).items():
                for e in errs:
                    form.add_error(field if field in ("outcome", "decisions") else None, e)
        else:
            messages.success(request, f"Outcome recorded for {item.plan.account}.")
            items = _items(sitting)
            following = next(
                (n for n, i in enumerate(items, 1) if n > step and not i.outcome), None
            )
            return redirect(_review_url(sitting, following or step))
    return _review_page(request, sitting, step, outcome_form=form, status=400)


@require_POST
def action_view(request, pk: int):
    sitting = _runnable(request, pk)
    item, step = _posted_item(request, sitting)
    form = ActionForm(
        request.POST, people=_people(sitting, item.plan), strategies=_strategies(item.plan)
    )
    if form.is_valid():
        from keyplan.people.models import User
        from keyplan.plans.models import Strategy

        try:
            action = services.item_add_action(
                item=item,
                user=request.user,
                title=form.cleaned_data["title"],
                owner=User.objects.get(pk=form.cleaned_data["owner"]),
                due_date=form.cleaned_data["due_date"],
                effort_hours=form.cleaned_data["effort_hours"],
                strategy=(
                    Strategy.objects.get(pk=form.cleaned_data["strategy"])
                    if form.cleaned_data["strategy"]
                    else None
                ),
                confirm_outside_period=request.POST.get("confirm_outside_period") == "on",
            )
        except ValidationError as exc:
            for field, errs in _messages_of(exc).items():
                for e in errs:
                    form.add_error(field if field in form.fields else None, e)
        else:
            messages.success(
                request, f"Action “{action.title}” added to the plan for {item.plan.account}."
            )
            return redirect(_review_url(sitting, step))
    return _review_page(request, sitting, step, action_form=form, status=400)


@require_POST
def close_view(request, pk: int):
    sitting = _runnable(request, pk)
    try:
        services.sitting_close(
            sitting=sitting, user=request.user, version=request.POST.get("version")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_review_url(sitting, request.POST.get("step") or 1))
    messages.success(
        request,
        "Review held: each plan's outcome is in its activity and a version of each plan was kept.",
    )
    return redirect(sitting.get_absolute_url())
