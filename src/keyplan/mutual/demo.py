"""The demo's shared plan: the first example plan is shared with the customer's leader
and champion (no code, so the demo opens it at once), its sales milestone kept internal;
the leader has confirmed their goal and added an action of their own."""

from datetime import timedelta

from django.utils import timezone

from keyplan.mutual import selectors, services
from keyplan.plans.choices import GoalLevel, ObjectiveCategory
from keyplan.plans.models import Milestone


def demo_share(plan, user):
    """Share ``plan`` as the demo does; the share, or None when the plan has no goal."""
    leader_goal = plan.goals.filter(level=GoalLevel.CORPORATE).order_by("pk").first()
    if leader_goal is None or leader_goal.source_contact is None:
        return None
    leader = leader_goal.source_contact
    people = [leader]
    for action in selectors.joint_actions(plan).prefetch_related("contacts").order_by("pk"):
        for contact in action.contacts.all():
            if contact not in people and contact.email:
                people.append(contact)
        if len(people) >= 2:
            break
    share = services.share_create(
        plan=plan,
        user=user,
        recipients=people[:2],
        note=f"{leader.first_name} {leader.last_name}'s team, after the proposal",
        expires_on=timezone.localdate() + timedelta(days=services.DEFAULT_DAYS),
        hidden_milestones=list(
            Milestone.objects.filter(
                plan=plan, objective__category=ObjectiveCategory.BUSINESS_DEVELOPMENT
            )
        ),
    )
    visitor = services.Visitor(leader, "", "demo")
    services.goal_respond(share=share, goal_id=leader_goal.pk, visitor=visitor, confirm=True)
    services.customer_action_add(
        share=share,
        visitor=visitor,
        title="Send last year's downtime log for every plant",
        due_date=timezone.localdate() + timedelta(days=14),
    )
    return share
