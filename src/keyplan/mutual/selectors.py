"""Reads of the mutual plan. ``shared_*`` decide, in one place each, which items of a
plan a link shows; the customer's page and every customer write start from them, so
nothing can be shown or changed that they do not return. ``customer_view`` reads the
page in a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from keyplan.mutual.models import CustomerAction, GoalResponse, PlanShare, ShareAccess
from keyplan.plans.choices import ActionStatus, IdeaStage
from keyplan.plans.models import Action, CustomerGoal, Idea, Milestone

ACCESS_SHOWN = 30


def shared_goals(share: PlanShare) -> QuerySet:
    if not share.show_goals:
        return CustomerGoal.objects.none()
    return CustomerGoal.objects.filter(plan_id=share.plan_id).exclude(
        pk__in=share.hidden_goals.values("pk")
    )


def shared_ideas(share: PlanShare) -> QuerySet:
    """The agreed ideas: in the proposal to the customer and not dropped."""
    if not share.show_proposal:
        return Idea.objects.none()
    return (
        Idea.objects.filter(plan_id=share.plan_id, in_proposal=True)
        .exclude(stage=IdeaStage.DROPPED)
        .exclude(pk__in=share.hidden_ideas.values("pk"))
    )


def joint_actions(plan) -> QuerySet:
    """Joint actions: those the plan links to one of the customer's people (the method's
    "with the customer"), unless cancelled."""
    return (
        Action.objects.filter(plan=plan, contacts__isnull=False)
        .exclude(status=ActionStatus.CANCELLED)
        .distinct()
    )


def shared_actions(share: PlanShare) -> QuerySet:
    if not share.show_actions:
        return Action.objects.none()
    return Action.objects.filter(
        pk__in=joint_actions(share.plan_id).exclude(pk__in=share.hidden_actions.values("pk"))
    )


def shared_milestones(share: PlanShare) -> QuerySet:
    if not share.show_milestones:
        return Milestone.objects.none()
    return Milestone.objects.filter(plan_id=share.plan_id).exclude(
        pk__in=share.hidden_milestones.values("pk")
    )


@dataclass
class CustomerView:
    """What the customer's page shows, and nothing else: each item carries only the
    fields named here (the templates never reach into the plan)."""

    account: str
    period: str
    owner: str
    goals: list = field(default_factory=list)
    proposal: dict | None = None
    ideas: list = field(default_factory=list)
    actions: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    own_actions: list = field(default_factory=list)
    recipients: list = field(default_factory=list)


def _name(person) -> str:
    if person is None:
        return ""
    return " ".join(p for p in (person.first_name, person.last_name) if p) or str(person)


def customer_view(share: PlanShare) -> CustomerView:
    """The shared parts of the plan as plain values (names, titles, dates, labels)."""
    plan = share.plan
    view = CustomerView(
        account=plan.account.name, period=plan.period_label, owner=_name(plan.owner)
    )
    view.recipients = [
        {"id": c.pk, "name": _name(c)}
        for c in share.recipients.filter(is_active=True).order_by("last_name", "pk")
    ]
    if share.show_goals:
        for goal in (
            shared_goals(share)
            .select_related("organisation")
            .prefetch_related(
                Prefetch("customer_responses", queryset=GoalResponse.objects.order_by("at", "pk"))
            )
        ):
            view.goals.append(
                {
                    "id": goal.pk,
                    "title": goal.title,
                    "level": goal.get_level_display(),
                    "organisation": goal.organisation.name if goal.organisation else "",
                    "aspiration": goal.customer_aspiration,
                    "measure": goal.value_measure,
                    "target": goal.target_value,
                    "responses": [
                        {
                            "who": r.contact_name,
                            "at": r.at,
                            "confirmed": r.confirmed,
                            "comment": r.comment,
                        }
                        for r in goal.customer_responses.all()
                    ],
                }
            )
    if share.show_proposal:
        if plan.proposal_vision or plan.proposal_presented_on:
            presented_to = plan.proposal_presented_to if plan.proposal_presented_to_id else None
            view.proposal = {
                "vision": plan.proposal_vision,
                "presented_on": plan.proposal_presented_on,
                "presented_to": _name(presented_to),
                "response": plan.proposal_response,
            }
        shown_goals = {g["id"] for g in view.goals}
        for idea in shared_ideas(share).select_related("goal").order_by("expected_date", "pk"):
            view.ideas.append(
                {
                    "title": idea.title,
                    "problem": idea.problem_statement,
                    # The goal it answers, only when that goal is shared too.
                    "goal": idea.goal.title if idea.goal_id in shown_goals else "",
                    "delivery": idea.get_delivery_display(),
                    "expected": idea.expected_date,
                }
            )
    if share.show_actions:
        for action in (
            shared_actions(share)
            .select_related("owner")
            .prefetch_related("contacts")
            .order_by("due_date", "pk")
        ):
            view.actions.append(
                {
                    "id": action.pk,
                    "title": action.title,
                    "due": action.due_date,
                    "status": action.get_status_display(),
                    "open": action.status in (ActionStatus.PLANNED, ActionStatus.SCHEDULED),
                    "ours": _name(action.owner),
                    "theirs": ", ".join(_name(c) for c in action.contacts.all()),
                }
            )
        view.own_actions = [
            {
                "id": a.pk,
                "title": a.title,
                "due": a.due_date,
                "who": a.added_by_name,
                "done": a.done_at is not None,
            }
            for a in CustomerAction.objects.filter(plan=plan).order_by("done_at", "due_date", "pk")
        ]
    if share.show_milestones:
        view.milestones = [
            {"title": m.title, "date": m.date, "reached": m.reached}
            for m in shared_milestones(share).order_by("date", "pk")
        ]
    return view


@dataclass
class Panel:
    shares: list
    accesses: list
    customer_actions: list


def owner_panel(plan) -> Panel:
    """The plan page's "Shared with the customer" panel: the links (newest first, with
    their recipients), the latest accesses through any of them, and the customer's own
    actions. Four queries whatever the number of links (one when never shared)."""
    shares = list(
        PlanShare.objects.filter(plan=plan)
        .select_related("created_by", "revoked_by")
        .prefetch_related("recipients")
        .order_by("-created_at", "-pk")
    )
    if not shares:  # never shared: no log, no customer actions (one query)
        return Panel([], [], [])
    accesses = list(
        ShareAccess.objects.filter(share__plan=plan)
        .select_related("share")
        .order_by("-at", "-pk")[:ACCESS_SHOWN]
    )
    own = list(CustomerAction.objects.filter(plan=plan).order_by("done_at", "due_date", "pk"))
    return Panel(shares, accesses, own)
