"""Everything an exported account plan shows, read once through the selectors the plan
page uses (facts, coverage, health, objective progress, the relationship map, the
account's white space from the cached predictions, the forecast from its cache), so a
deck, a PDF, a workbook and a Markdown file of the same plan hold the same figures.

A fixed number of queries, however many goals, ideas or actions the plan has (the
discussion adds at most one per kind of part commented on: ``comment_threads``); nothing
is computed that the page would not compute (no model is learned here).

Visibility: the caller passes a plan it read through ``AccountPlan.objects.visible_to``
(``visible_plan_or_none``); everything below belongs to that plan's accounts, which a user
who sees the plan sees too (an account's visibility covers every account under it).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from keyplan.core import words
from keyplan.plans import selectors
from keyplan.plans.choices import (
    OPEN_ACTION_STATUSES,
    HelpKind,
    HelpStatus,
    IdeaStage,
    InvestmentStatus,
)
from keyplan.plans.models import AccountPlan
from keyplan.plans.services.comments import with_names

FORMATS = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "md": "text/markdown; charset=utf-8",
}
WHITE_SPACE_SHOWN = 8  # the page's eight best white-space cells


def visible_plan_or_none(user, pk) -> AccountPlan | None:
    """The plan ``pk`` if ``user`` may see it, else None (an export answers 404 then)."""
    return (
        AccountPlan.objects.visible_to(user)
        .select_related("account", "account__tier", "owner", "proposal_presented_to")
        .filter(pk=pk)
        .first()
    )


def plain(text) -> str:
    """User-written text as plain text: no control characters a file format would choke
    on (a vertical tab breaks an .xlsx, a NUL a PDF), line breaks kept, trailing spaces
    gone. Markup is not interpreted anywhere: each renderer escapes for its format."""
    if text is None:
        return ""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    # Word's manual line break (vertical tab) and page break (form feed) are line breaks.
    text = text.replace("\x0b", "\n").replace("\x0c", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32 and ord(ch) != 127)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def file_name(name: str, fallback: str) -> str:
    """``name`` in characters every file system and browser keep (at most 80)."""
    import re

    name = re.sub(r"[^\w\- ]+", "", name, flags=re.ASCII).strip()
    return re.sub(r"\s+", " ", name)[:80] or fallback


@dataclass
class Fact:
    """A figure on the "at a glance" slide: its label, the value as a number (or None)
    and the value in words."""

    label: str
    value: Decimal | float | str | None
    text: str


@dataclass
class Risk:
    kind: str  # "relationship", "investment", "execution"
    text: str

    @property
    def label(self) -> str:
        """What the documents call the kind: "Relationship"."""
        return self.kind.capitalize()


@dataclass
class Ask:
    """Something the plan asks of leadership: an investment decision or someone's time."""

    kind: str  # "investment" or "help"
    what: str
    of_whom: str
    amount: Decimal | None  # our cost of an investment; hours of help
    by: datetime.date | None
    status: str

    @property
    def label(self) -> str:
        """What the documents call the kind: "Investment", "Help", "Commitment"."""
        return self.kind.capitalize()


@dataclass
class Commitment:
    """What another part of the company (delivery, manufacturing, finance) agreed to do
    for the account — or was asked to and has not answered yet, or declined: a
    cross-functional commitment as the exports write it, names not usernames."""

    function: str  # "Delivery"
    what: str
    scope: str
    holds_from: datetime.date | None
    holds_to: datetime.date | None
    asked_of: str
    needed_by: datetime.date | None
    committed_by: str  # "" until committed
    committed_on: datetime.date | None
    status: str  # "committed", "asked, not committed yet", "declined"
    response: str

    @property
    def holds(self) -> str:
        """The dates it holds: "2027-03-01 to 2027-04-15"."""
        return f"{words.day(self.holds_from)} to {words.day(self.holds_to)}"

    @property
    def who(self) -> str:
        """Its status in words: who committed and when, who declined, or of whom it is
        asked and by when."""
        if self.committed_by:
            on = f" on {words.day(self.committed_on)}" if self.committed_on else ""
            return f"committed by {self.committed_by}{on}"
        if self.status == COMMITMENT_DECLINED:
            on = f" on {words.day(self.committed_on)}" if self.committed_on else ""
            # Whoever declined (the person or their manager) is not recorded: the
            # request was theirs.
            return f"asked of {self.asked_of}, declined{on}"
        return (
            f"asked of {self.asked_of}, not committed yet (answer wanted by "
            f"{words.day(self.needed_by)})"
        )


COMMITMENT_ASKED = "asked, not committed yet"
COMMITMENT_DECLINED = "declined"


def commitment_in_words(c: Commitment) -> str:
    """A commitment in one sentence, as the deck, the PDF and the Markdown file write it."""
    scope = f": {c.scope}" if c.scope else ""
    answer = f" — “{c.response}”" if c.response else ""
    return f"{c.function}{scope} ({c.what}), holds {c.holds} · {c.who}{answer}"


@dataclass
class Remark:
    """One comment in an exported discussion: who wrote it (a name), on which day, and
    its text with each @mention written as the person's name."""

    author: str
    on: datetime.date
    text: str
    edited: bool = False


@dataclass
class Discussion:
    """The comments on one part of the plan (or on the plan itself), oldest first."""

    about: str
    remarks: list[Remark]


@dataclass
class PlanDocument:
    plan: AccountPlan
    title: str
    account_name: str
    period_label: str
    owner_name: str
    status_label: str
    generated_on: datetime.date
    generated_by: str
    facts: selectors.Facts
    at_a_glance: list[Fact]
    coverage: selectors.Coverage
    forecast_sentences: list[str]
    health: object
    team: list[str]
    customer_goals: list = field(default_factory=list)
    contacts: list = field(default_factory=list)  # the relationship map's people
    white_space: list[dict] = field(default_factory=list)
    white_space_predicted: bool = False
    ideas: list = field(default_factory=list)
    investments: list = field(default_factory=list)
    objectives: list = field(default_factory=list)  # health.Progress with strategy_list
    loose_actions: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    qualitative_goals: list[str] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    asks: list[Ask] = field(default_factory=list)
    gap: object = None  # forecast.selectors.PlanGap: the forecast against the goal, or None
    overdue_actions: list = field(default_factory=list)  # open, past their due date
    commitments: list[Commitment] = field(default_factory=list)
    discussion: list[Discussion] = field(default_factory=list)  # open threads only

    @property
    def file_stem(self) -> str:
        """The file's name without extension: the account's name and the period."""
        name = file_name(self.account_name, "account")
        return f"Account plan - {name} - {self.plan.period_start:%Y-%m}"


def _glance(plan, facts, cov, gap) -> list[Fact]:
    goal_ratio = facts.goal_vs_run_rate(plan.revenue_goal)
    out = [
        Fact(f"Run-rate ({facts.window_label})", facts.run_rate, words.estimate(facts.run_rate)),
        Fact("Potential per year", facts.potential, words.estimate(facts.potential)),
        Fact(
            "Share of wallet",
            facts.share_of_wallet,
            words.EMPTY if facts.share_of_wallet is None else f"{facts.share_of_wallet:.0%}",
        ),
        Fact("ICP tier", facts.tier, facts.tier or words.EMPTY),
        Fact(
            "Revenue goal",
            plan.revenue_goal,
            words.estimate(plan.revenue_goal)
            + (f" ({goal_ratio:.2f}x the run-rate)" if goal_ratio else ""),
        ),
        Fact("Stretch goal", plan.stretch_goal, words.estimate(plan.stretch_goal)),
        Fact(
            "Pipeline coverage of the revenue goal (2.5-3x wanted)",
            cov.revenue.ratio if cov.revenue else None,
            words.ratio(cov.revenue.ratio) if cov.revenue and cov.revenue.ratio else "no goal",
        ),
    ]
    if gap is not None:
        out.append(
            Fact(
                f"Expected from sales history, {gap.start:%Y-%m} to {gap.end:%Y-%m}",
                gap.expected,
                f"{words.estimate(gap.expected)} (likely {words.estimate(gap.low)} to "
                f"{words.estimate(gap.high)})",
            )
        )
    return out


def _risks(plan, rel_map, investments, actions, today) -> list[Risk]:
    risks = [Risk("relationship", w.text) for w in rel_map.warnings]
    for case in investments:
        if case.risks.strip():
            risks.append(Risk("investment", f"{plain(case.title)}: {plain(case.risks)}"))
    overdue = [a for a in actions if a.status in OPEN_ACTION_STATUSES and a.due_date < today]
    if overdue:
        risks.append(
            Risk(
                "execution",
                f"{words.plural(len(overdue), 'action')} overdue: "
                + "; ".join(
                    f"{plain(a.title)} (due {words.day(a.due_date)}, {a.owner})"
                    for a in overdue[:5]
                )
                + ("; …" if len(overdue) > 5 else ""),
            )
        )
    return risks


def _asks(investments, help_requests) -> list[Ask]:
    asks = [
        Ask(
            "investment",
            plain(c.title),
            "leadership",
            c.our_cost.quantize(Decimal("0.01")),
            None,
            c.get_status_display(),
        )
        for c in investments
        if c.status in (InvestmentStatus.SUBMITTED, InvestmentStatus.DRAFT)
    ]
    # Cross-functional commitments have their own section ("Commitments from the
    # company"), asked or committed: they are not asks of leadership as well.
    asks += [
        Ask("help", plain(h.what), str(h.asked_of), h.hours, h.needed_by, h.get_status_display())
        for h in help_requests
        if h.status != HelpStatus.DECLINED and h.help_kind != HelpKind.COMMITMENT
    ]
    return asks


def commitment_ask(c: Commitment) -> Ask:
    """A cross-functional commitment still waiting for its answer, as an ask (a review
    sitting's "decisions waiting")."""
    return Ask(
        "commitment",
        f"{c.function}: {c.what}",
        c.asked_of,
        None,
        c.needed_by,
        HelpStatus.REQUESTED.label,
    )


def _commitments(help_requests) -> list[Commitment]:
    out = []
    for h in help_requests:
        if h.help_kind != HelpKind.COMMITMENT:
            continue
        committed = h.status == HelpStatus.COMMITTED
        out.append(
            Commitment(
                function=h.get_function_display() or "The company",
                what=plain(h.what),
                scope=plain(h.scope),
                holds_from=h.committed_from,
                holds_to=h.committed_to,
                asked_of=str(h.asked_of),
                needed_by=h.needed_by,
                committed_by=str(h.committed_by or h.asked_of) if committed else "",
                committed_on=timezone.localdate(h.responded_at) if h.responded_at else None,
                status={
                    HelpStatus.COMMITTED: "committed",
                    HelpStatus.DECLINED: COMMITMENT_DECLINED,
                }.get(h.status, COMMITMENT_ASKED),
                response=plain(h.response),
            )
        )
    # What holds soonest first; the ones asked and not answered after the agreed ones.
    return sorted(
        out,
        key=lambda c: (
            c.status != "committed",
            c.holds_from or datetime.date.max,
            c.function,
        ),
    )


def _discussion(plan: AccountPlan) -> list[Discussion]:
    """The plan's open threads: those on the plan itself and on parts still in it (a
    thread on a removed part is closed with it), as ``comment_threads`` reads them."""
    from keyplan.plans.comment_threads import plan_threads

    out = []
    for t in plan_threads(plan):
        if t.removed:
            continue
        out.append(
            Discussion(
                about=plain(t.about),
                remarks=[
                    Remark(
                        author=str(c.author) if c.author_id else "A former colleague",
                        on=timezone.localdate(c.created_at),
                        text=plain(with_names(c.text, c.mentions.all())),
                        edited=c.edited_at is not None,
                    )
                    for c in t.comments
                ],
            )
        )
    return out


def ask_in_words(a: Ask) -> str:
    """An ask of leadership in one sentence, as the deck and the PDF write it."""
    if a.kind == "investment":
        return f"Investment: {a.what} — our cost {words.amount(a.amount)} ({a.status.lower()})"
    if a.kind == "commitment":
        return (
            f"Commitment: {a.what} — asked of {a.of_whom}, answer by {words.day(a.by)} "
            f"({a.status.lower()})"
        )
    hours = f", {words.number(a.amount)} h" if a.amount is not None else ""
    return f"Help: {a.what} — asked of {a.of_whom} by {words.day(a.by)}{hours} ({a.status.lower()})"


def plan_document(plan: AccountPlan, user) -> PlanDocument:
    """Everything the exports show of ``plan`` (a plan ``user`` may see), in a fixed
    number of queries."""
    from keyplan.forecast.selectors import plan_gap
    from keyplan.plans.health import plan_health
    from keyplan.plans.models import InvestmentCase
    from keyplan.plans.relationships import relationship_map
    from keyplan.territory.analysis.params import Window
    from keyplan.territory.views import _whitespace_row

    today = timezone.localdate()
    ideas = list(
        plan.ideas.select_related("goal", "opportunity", "product", "product_line").order_by(
            "-annual_value", "pk"
        )
    )
    linked_ids = set(plan.opportunities.values_list("pk", flat=True))
    cov = selectors.coverage(plan, ideas=ideas, linked_ids=linked_ids)
    account_ids = selectors.remember_account_ids(plan)
    window = Window.default()
    facts = selectors.plan_facts(plan, window)
    investments = list(
        InvestmentCase.objects.filter(idea__plan=plan).select_related("idea").order_by("idea", "pk")
    )
    goals = list(
        plan.goals.select_related("organisation", "source_contact").prefetch_related("contacts")
    )
    values = list(plan.values.all())
    vendors = list(plan.vendors.all())
    loaded = selectors.Loaded(
        goals=goals, ideas=ideas, investments=investments, vendors=vendors, values=values
    )
    steps = selectors.progress(plan, cov, loaded)
    execution = selectors.execution(plan, today=today, ideas=ideas)
    progress, actions = execution.objectives, execution.actions
    help_requests = list(plan.help_requests.select_related("asked_of", "committed_by"))
    health = plan_health(
        plan, today=today, coverage=cov, steps=steps, progress=progress, actions=actions
    )
    rel_map = relationship_map(plan, today=today)

    # White space: the page's cells (the cached predictions' expected value once learned),
    # less the products the plan already has an idea for, best first.
    row = _whitespace_row(plan.account, window)
    white_space, predicted = [], False
    if row:
        predicted = row.get("predicted", False)
        owned = {i.product_id for i in ideas if i.product_id}
        white_space = sorted(
            (
                c
                for c in row["cells"]
                if c["state"] == "white_space" and c["item_id"] not in owned and c["value"]
            ),
            key=lambda c: (-(c["value"] or 0), c["name"]),
        )[:WHITE_SPACE_SHOWN]
    gap = plan_gap(plan=plan, account_ids=account_ids)

    return PlanDocument(
        plan=plan,
        title=f"Account plan: {plain(plan.account.name)}",
        account_name=plain(plan.account.name),
        period_label=plan.period_label,
        owner_name=str(plan.owner) if plan.owner_id else words.EMPTY,
        status_label=plan.get_status_display(),
        generated_on=today,
        generated_by=str(user),
        facts=facts,
        at_a_glance=_glance(plan, facts, cov, gap),
        coverage=cov,
        forecast_sentences=list(gap.sentences) if gap else [],
        health=health,
        team=[str(u) for u in plan.team.all()],
        customer_goals=goals,
        contacts=rel_map.contacts,
        white_space=white_space,
        white_space_predicted=predicted,
        ideas=[i for i in ideas if i.stage != IdeaStage.DROPPED],
        investments=investments,
        objectives=progress,
        loose_actions=execution.loose_actions,
        milestones=list(plan.milestones.select_related("objective")),
        qualitative_goals=[plain(q.text) for q in plan.qualitative_goals.all()],
        risks=_risks(plan, rel_map, investments, actions, today),
        asks=_asks(investments, help_requests),
        gap=gap,
        overdue_actions=sorted(
            (a for a in actions if a.status in OPEN_ACTION_STATUSES and a.due_date < today),
            key=lambda a: (a.due_date, a.pk),
        ),
        commitments=_commitments(help_requests),
        discussion=_discussion(plan),
    )
