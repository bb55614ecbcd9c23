"""The leaders' homes: the manager's team board (``/team/``), the executive's company
view (``/company/``) and the list behind any of their figures (``/rollups/drill/``).

Who opens what (a choice, said on the refusal): the team board is for whoever has people
under them (managers) and those who see everything; a rep without people is refused
(403) — their own figures are on their home and the quota page. The company view is for
those who see everything (executives, sales ops, admins); a manager is refused (403) and
pointed at the team board. The drill-down is open to anyone: it lists only what the user
sees (visible_to), so a rep sees only their own."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from keyplan.people.scope import scope_for
from keyplan.salesplan.periods import Period, parse_period, planning_year
from keyplan.salesplan.rollups import (
    BY_LABELS,
    MEASURE_LABELS,
    NONE_KEY,
    RollupError,
    parse_by,
    plans_in,
    rollup,
    rollup_drill,
)

COMPANY_BY = ("team", "tier", "product_line", "channel", "rep")


def has_people(user) -> bool:
    """May open the team board: has people under them, sees everything, or is a manager
    (a manager whose team is still empty reads why the board is empty)."""
    from keyplan.people.choices import Role

    scope = scope_for(user)
    return (
        scope.everything
        or len(scope.user_ids - {user.pk}) > 0
        or getattr(user, "role", None) == Role.MANAGER
    )


def sees_company(user) -> bool:
    return scope_for(user).everything


def _period(request) -> tuple[Period, str]:
    raw = request.GET.get("period", "").strip()
    if not raw:
        return planning_year(), ""
    try:
        return parse_period(raw), ""
    except ValueError as exc:
        return planning_year(), f"{exc} Showing {planning_year().name}."


def _periods(period: Period) -> list[Period]:
    year = period.year
    return [year.previous, year, *year.quarters, Period(year.fiscal_year + 1)]


def _context(request, period, problem, **more):
    return {
        "period": period,
        "periods": _periods(period),
        "problem": problem,
        "today": timezone.localdate(),
        "sees_company": sees_company(request.user),
        "has_people": has_people(request.user),
        **more,
    }


def team_board_context(request) -> dict:
    """The team board's context: per rep of the user's people, their figures."""
    period, problem = _period(request)
    # Only the user's people (and themselves if they carry a quota): not the owners of
    # accounts their people work on in another team. The totals are theirs.
    board = rollup(user=request.user, period=period, by="rep", people_only=True)
    today = timezone.localdate()
    for row in board.rows:
        row.flag_words = row.flags(today)
    _review_column(board, period, today)
    return _context(
        request, period, problem, board=board, nav="team", need=_pipeline_need(board, period)
    )


def _pipeline_need(board, period: Period):
    """Brock's math for the people on the board, each against their quota for the period,
    and summed (``salesplan.pipeline``: a fixed number of queries for the whole board)."""
    from keyplan.salesplan.pipeline import needs_summed, rep_needs

    people = [row.person for row in board.rows if row.person is not None and row.quota]
    if not people:
        return None
    # The board's reader is their manager (or an executive): each rep in the third person.
    needs = rep_needs(people, period, third_person=True)
    summed = needs_summed(needs, period)
    summed.rows = [(person, needs[person.pk]) for person in people if person.pk in needs]
    return summed


def _review_column(board, period: Period, today) -> None:
    """Each rep's quarterly review (scheduled with its date, held, missed) and their
    plans not reviewed in the quarter: the board's quarter; on a year, the quarter
    running today if it is in that year, else the year's first (as the review pack's
    column reads it). Three queries for the whole board (reviews.selectors)."""
    from keyplan.reviews.selectors import current_quarter, review_status

    quarter = period if period.quarter else current_quarter(today)
    if not period.quarter and quarter.fiscal_year != period.fiscal_year:
        quarter = Period(period.fiscal_year, 1)
    people = [row.person for row in board.rows if row.person is not None]
    statuses = review_status(reps=people, period=quarter)
    board.review_quarter = quarter
    for row in board.rows:
        row.review = statuses.get(row.person.pk) if row.person is not None else None


@require_GET
def team_board(request):
    if not has_people(request.user):
        raise PermissionDenied(
            "The team board is for managers and those who see the whole company: you have "
            "no people under you. Your own figures are on your home page and the quota page."
        )
    return render(request, "salesplan/leaders/team.html", team_board_context(request))


def company_context(request) -> dict:
    from keyplan.salesplan.leaders.company import (
        approved_investments,
        at_risk_plans,
        quarter_movement,
    )
    from keyplan.salesplan.selectors import company_assignment

    period, problem = _period(request)
    raw_by = request.GET.get("by") or "team"
    try:
        by = parse_by(raw_by)
    except RollupError as exc:
        by, problem = "team", f"{exc.in_words} Showing by team."
    view = rollup(user=request.user, period=period, by=by)
    this, last, movement = quarter_movement(user=request.user)
    return _context(
        request,
        period,
        problem,
        nav="company",
        view=view,
        by=by,
        tabs=[(b, BY_LABELS[b]) for b in COMPANY_BY],
        at_risk=at_risk_plans(user=request.user, period=period),
        plans_running=plans_in(request.user, period).count(),
        assignment=company_assignment(period=period),
        approved=approved_investments(user=request.user, period=period),
        this_quarter=this,
        last_quarter=last,
        movement=movement,
    )


@require_GET
def company_view(request):
    if not sees_company(request.user):
        raise PermissionDenied(
            "The company view is for executives, sales operations and administrators; "
            + (
                "your team's figures are on the team board (/team/)."
                if has_people(request.user)
                else "your own figures are on your home page and the quota page."
            )
        )
    return render(request, "salesplan/leaders/company.html", company_context(request))


@require_GET
def drill(request):
    """The list behind one figure of a roll-up."""
    period, problem = _period(request)
    q = request.GET
    try:
        found = rollup_drill(
            user=request.user,
            period=period,
            by=q.get("by") or "rep",
            key=q.get("key") or NONE_KEY,
            measure=q.get("measure") or "",
        )
    except RollupError as exc:
        return render(
            request,
            "salesplan/leaders/drill.html",
            _context(request, period, exc.in_words, found=None),
            status=400,
        )
    return render(
        request,
        "salesplan/leaders/drill.html",
        _context(
            request,
            period,
            problem,
            found=found,
            by_label=BY_LABELS[found.by],
            measure_label=MEASURE_LABELS[found.measure],
            nav="company" if sees_company(request.user) else "team",
        ),
    )
