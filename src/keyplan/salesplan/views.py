"""The quota pages: the board of a fiscal year (everyone sees what their scope allows;
sales ops and admins set quotas) and the distribution of a rep's quota over their
accounts (the rep, their managers, sales ops and admins)."""

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyplan.core import words
from keyplan.salesplan.allocation import NothingToDistribute, allocate, target
from keyplan.salesplan.choices import GoalBasis, QuotaLevel
from keyplan.salesplan.forms import DistributeForm, QuotaForm, parse_amount
from keyplan.salesplan.models import AccountGoal, Quota
from keyplan.salesplan.periods import Period, planning_year
from keyplan.salesplan.permissions import can_edit_quotas, goals_edit_refusal
from keyplan.salesplan.selectors import (
    BasisUnavailable,
    account_lines,
    basis_values,
    company_assignment,
    goal_trail,
    quota_board,
)
from keyplan.salesplan.services import goal_set_apart, goals_save, quota_save


def _year(request) -> Period:
    """The year asked for, else the planning year (next year's in the current one's last
    month, as the team board and the company view open on)."""
    raw = request.GET.get("year") or request.POST.get("year")
    if raw:
        try:
            return Period(int(raw))
        except ValueError:
            messages.error(
                request, f"“{raw}” is not a fiscal year; showing {planning_year().name}."
            )
    return planning_year()


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for ms in exc.message_dict.values() for m in ms]
    return exc.messages


def _board_page(request, period: Period, form=None, problems=(), status: int = 200):
    board = quota_board(user=request.user, period=period)
    if form is None and can_edit_quotas(request.user):
        form = QuotaForm(fiscal_year=period.fiscal_year)
    return render(
        request,
        "salesplan/quotas.html",
        {
            "nav": "quotas",
            "board": board,
            # What the teams' and reps' quotas add up to beside the company's, in words
            # (over-assignment): for those who see every quota.
            "assignment": (
                company_assignment(period=period)
                if board.company is not None and board.sees_everything
                else None
            ),
            "period": period,
            "form": form,
            "problems": problems,
            "previous_year": period.fiscal_year - 1,
            "next_year": period.fiscal_year + 1,
        },
        status=status,
    )


@require_GET
def quota_board_view(request):
    return _board_page(request, _year(request))


@require_POST
def quota_set(request):
    from keyplan.people.models import Team, User

    if not can_edit_quotas(request.user):
        raise PermissionDenied("Only sales operations and administrators set quotas.")
    period = _year(request)
    form = QuotaForm(request.POST, fiscal_year=period.fiscal_year)
    if form.is_valid():
        kind, _, pk = form.cleaned_data["holder"].partition(":")
        holder = {}
        if kind == "rep":
            holder["rep"] = get_object_or_404(User, pk=pk)
        elif kind == "team":
            holder["team"] = get_object_or_404(Team, pk=pk)
        try:
            quota, created = quota_save(
                user=request.user,
                level={"rep": QuotaLevel.REP, "team": QuotaLevel.TEAM}.get(kind, "company"),
                period=Period(period.fiscal_year, form.cleaned_data["quarter"]),
                amount=form.cleaned_data["amount"],
                version=request.POST.get("version") or None,
                **holder,
            )
        except ValidationError as exc:
            problems = _messages_of(exc)
        else:
            messages.success(
                request,
                f"Quota {'set' if created else 'saved'}: {quota} — {words.amount(quota.amount)}.",
            )
            return redirect(f"{reverse('quotas')}?year={period.fiscal_year}")
    else:
        problems = []  # each field says its own problem beside it
    # The page comes back with what was typed, and says what to correct.
    return _board_page(request, period, form=form, problems=problems, status=400)


def _rep_quota(request, pk) -> Quota:
    quota = get_object_or_404(Quota.objects.visible_to(request.user).select_related("rep"), pk=pk)
    if quota.level != QuotaLevel.REP:
        raise Http404("Only a rep's quota is distributed over accounts.")
    return quota


def _summary(quota: Quota, lines, stretch: Decimal) -> dict:
    total = sum((line.amount for line in lines), Decimal(0))
    percent = (total * 100 / quota.amount).quantize(Decimal("0.1")) if quota.amount else None
    return {
        "total": total,
        "percent": percent,
        "target": target(quota.amount, stretch),
        "without_plan": sum(1 for line in lines if line.without_plan),
    }


@require_http_methods(["GET", "POST"])
def quota_goals(request, pk: int):
    quota = _rep_quota(request, pk)
    rep, period = quota.rep, quota.period
    refusal = goals_edit_refusal(request.user, rep)
    lines = account_lines(rep=rep, period=period)
    data = request.POST if request.method == "POST" else request.GET
    form = DistributeForm(data if "basis" in data else None)
    stretch = Decimal("1.10")
    problems = []
    if request.method == "POST":
        if refusal:
            raise PermissionDenied(refusal)
        amounts, versions = {}, {}
        by_id = {line.account_id: line for line in lines}
        for line in lines:
            raw = request.POST.get(f"goal_{line.account_id}", "")
            # What was typed stays in its box when the page comes back with a problem.
            line.typed = raw
            try:
                amounts[line.account_id] = parse_amount(raw, label=f"goal of {line.name}")
            except forms.ValidationError as exc:
                problems.extend(
                    text if line.name in text else f"Goal of {line.name}: {text}"
                    for text in exc.messages
                )
                continue
            by_id[line.account_id].proposed = amounts[line.account_id]
            version = request.POST.get(f"version_{line.account_id}")
            if version:
                versions[line.account_id] = version
        basis = request.POST.get("basis") or GoalBasis.HAND
        if basis not in GoalBasis.values:
            basis = GoalBasis.HAND
        try:
            stretch = Decimal(request.POST.get("stretch") or "1")
        except ArithmeticError:
            stretch = Decimal(1)
        if not problems:
            try:
                goals_save(
                    user=request.user,
                    rep=rep,
                    period=period,
                    amounts=amounts,
                    basis=basis,
                    stretch=stretch,
                    versions=versions,
                )
            except ValidationError as exc:
                problems.extend(_messages_of(exc))
            else:
                total = sum(amounts.values(), Decimal(0))
                messages.success(
                    request,
                    f"Goals saved for {words.plural(len(amounts), 'account')}: they add up to "
                    f"{words.amount(total)} against the quota of {words.amount(quota.amount)}.",
                )
                return redirect("quota_goals", pk=quota.pk)
    elif "propose" in request.GET and form.is_valid():
        stretch = form.cleaned_data["stretch"]
        weights = {
            "A": form.cleaned_data["weight_a"],
            "B": form.cleaned_data["weight_b"],
            "C": form.cleaned_data["weight_c"],
        }
        basis = form.cleaned_data["basis"]
        if basis == GoalBasis.HAND:
            problems.append("By hand: type each account's goal below and save.")
        else:
            try:
                values = basis_values(
                    basis=basis, rep=rep, period=period, lines=lines, tier_weights=weights
                )
                proposal = allocate(quota=quota.amount, stretch=stretch, basis=values)
            except (BasisUnavailable, NothingToDistribute, ValueError) as exc:
                problems.append(str(exc))
            else:
                for line in lines:
                    line.proposed = proposal.get(line.account_id, Decimal(0))
    elif form.is_bound and not form.is_valid():
        problems.extend(m for ms in form.errors.values() for m in ms)
    return render(
        request,
        "salesplan/goals.html",
        {
            "nav": "quotas",
            "quota": quota,
            "rep": rep,
            "period": period,
            "lines": lines,
            "form": form,
            "problems": problems,
            "refusal": refusal,
            "proposed": any(line.proposed is not None for line in lines),
            "summary": _summary(quota, lines, stretch),
            "basis_label": dict(GoalBasis.choices).get(data.get("basis", ""), "by hand"),
            "trail": goal_trail(quota=quota, lines=lines),
        },
    )


@require_POST
def goal_apart(request, pk: int):
    goal = get_object_or_404(
        AccountGoal.objects.visible_to(request.user).select_related("rep"), pk=pk
    )
    apart = request.POST.get("apart") == "1"
    try:
        goal_set_apart(
            goal=goal,
            user=request.user,
            apart=apart,
            note=request.POST.get("note", ""),
            version=request.POST.get("version") or None,
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        for text in _messages_of(exc):
            messages.error(request, text)
    else:
        messages.success(
            request,
            f"The goal of {goal.account} is set apart from its plan on purpose."
            if apart
            else f"The plan of {goal.account} follows its account goal again.",
        )
    quota = Quota.objects.filter(
        level=QuotaLevel.REP, rep=goal.rep, fiscal_year=goal.fiscal_year, quarter=goal.quarter
    ).first()
    if quota is None:
        return redirect("quotas")
    return redirect("quota_goals", pk=quota.pk)
