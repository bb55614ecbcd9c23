"""The executive program: leader-to-leader relationships on the strategic accounts, and
whether they are kept. "Executives should plan on communicating with each and every
strategic account each quarter" (SAP article).

A strategic account here is one with a draft or active plan that pairs one of our
executives with one of the customer's (``ExecutivePairing``, with its agreed cadence). A
meeting *held* is an interaction flagged executive, dated today or before, with both of
them; one dated after today is a meeting *planned*. Per pairing: the last meeting, days
since, whether it was touched this quarter, the next planned, and whether the cadence
is missed (overdue) — and the same rolled up per executive, per manager (of the plan's
owner) and per account. Everything comes from the plans the user may see
(``AccountPlan.objects.visible_to``), in four queries whatever the number of pairings.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Min
from django.utils import timezone

from keyplan.core.words import day, plural
from keyplan.salesplan.periods import Period


@dataclass
class ProgramRow:
    """One pairing on one strategic account."""

    pairing: object
    plan: object
    account: object
    executive: object
    contact: object
    manager: object  # the plan owner's manager (None when the owner has none)
    cadence_days: int
    last_met: datetime.date | None
    next_planned: datetime.date | None
    touched_this_quarter: bool
    days_since: int | None
    due: datetime.date | None
    overdue: bool
    days_overdue: int

    @property
    def status(self) -> str:
        if self.last_met is None:
            return "Never met" + (
                f"; planned {day(self.next_planned)}" if self.next_planned else ""
            )
        if self.overdue:
            planned = f"; planned {day(self.next_planned)}" if self.next_planned else ""
            return f"Overdue by {plural(self.days_overdue, 'day')}{planned}"
        return f"On track: next due by {day(self.due)}"

    @property
    def late(self) -> bool:
        """Overdue, or never met: what the program must act on."""
        return self.overdue or self.last_met is None


@dataclass
class Summary:
    """Pairings rolled up for one executive, manager or account."""

    who: object
    pairings: int = 0
    touched: int = 0
    late: int = 0
    last_met: datetime.date | None = None
    rows: list = field(default_factory=list)

    @property
    def touched_share(self) -> str:
        return f"{self.touched} of {self.pairings}"


@dataclass
class Program:
    quarter: Period
    today: datetime.date
    rows: list[ProgramRow]
    by_executive: list[Summary]
    by_manager: list[Summary]
    by_account: list[Summary]

    @property
    def touched(self) -> int:
        return sum(r.touched_this_quarter for r in self.rows)

    @property
    def late(self) -> int:
        return sum(r.late for r in self.rows)


def executive_program(user, *, today: datetime.date | None = None) -> Program:
    from keyplan.accounts.models import Interaction
    from keyplan.plans.choices import PlanStatus
    from keyplan.plans.models import AccountPlan, ExecutivePairing

    today = today or timezone.localdate()
    quarter = Period.containing(today, quarter=True)
    plans = AccountPlan.objects.visible_to(user).filter(
        status__in=[PlanStatus.DRAFT, PlanStatus.ACTIVE]
    )
    pairings = list(
        ExecutivePairing.objects.filter(plan__in=plans)
        .select_related(
            "plan__account",
            "plan__owner__manager",
            # who may ask for a meeting is decided from the owner's manager and team
            "plan__owner__team",
            "our_executive",
            "their_executive",
        )
        .order_by("plan__account__name", "plan_id", "pk")
    )
    contacts = {p.their_executive_id for p in pairings}
    executives = {p.our_executive_id for p in pairings}
    meetings = Interaction.objects.filter(
        is_executive=True, contacts__in=contacts, participants__in=executives
    ).values_list("contacts", "participants")
    held = {
        (c, u): d for c, u, d in meetings.filter(date__lte=today).annotate(d=Max("date")).order_by()
    }
    planned = {
        (c, u): d for c, u, d in meetings.filter(date__gt=today).annotate(d=Min("date")).order_by()
    }
    rows = []
    for p in pairings:
        key = (p.their_executive_id, p.our_executive_id)
        met, upcoming = held.get(key), planned.get(key)
        due = met + datetime.timedelta(days=p.cadence_days) if met else None
        late = (today - due).days if due else 0
        rows.append(
            ProgramRow(
                pairing=p,
                plan=p.plan,
                account=p.plan.account,
                executive=p.our_executive,
                contact=p.their_executive,
                manager=p.plan.owner.manager if p.plan.owner_id else None,
                cadence_days=p.cadence_days,
                last_met=met,
                next_planned=upcoming,
                touched_this_quarter=met is not None and met >= quarter.start,
                days_since=(today - met).days if met else None,
                due=due,
                overdue=late > 0,
                days_overdue=max(late, 0),
            )
        )
    return Program(
        quarter=quarter,
        today=today,
        rows=rows,
        by_executive=_summaries(rows, lambda r: r.executive),
        by_manager=_summaries([r for r in rows if r.manager], lambda r: r.manager),
        by_account=_summaries(rows, lambda r: r.account),
    )


def _summaries(rows, key) -> list[Summary]:
    out: dict[int, Summary] = {}
    for r in rows:
        who = key(r)
        s = out.setdefault(who.pk, Summary(who=who))
        s.pairings += 1
        s.touched += r.touched_this_quarter
        s.late += r.late
        if r.last_met and (s.last_met is None or r.last_met > s.last_met):
            s.last_met = r.last_met
        s.rows.append(r)
    # The ones to act on first: most late, then least touched.
    return sorted(out.values(), key=lambda s: (-s.late, s.touched - s.pairings, str(s.who)))
