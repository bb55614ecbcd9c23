"""The leak test: over many random plans, every internal field of the plan — and every
item the owner did not share — holds a unique marker, and no customer-facing answer
(the page with or without a code, the code's email, refusals, the 429 page) contains
any of them; every item the link does share is there.

A seeded random generator (reproducible: the seed is in the failure) builds each plan
with the ORM, so every field can be filled, whatever the services' rules."""

import datetime
import random
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from keyplan.accounts.choices import Attitude, DecisionRole, RelationshipStrength
from keyplan.accounts.models import Interaction
from keyplan.mutual import limits
from keyplan.mutual import services as mutual
from keyplan.mutual.links import share_path
from keyplan.plans.choices import ActionStatus, Delivery, IdeaStage
from keyplan.plans.models import (
    AccountPlan,
    Action,
    Comment,
    CustomerGoal,
    HelpRequest,
    Idea,
    InvestmentCase,
    Milestone,
    Objective,
    QualitativeGoal,
    Strategy,
    ValueStatement,
    Vendor,
)
from tests.factories import AccountFactory, ContactFactory

PLANS = 16
# Words of what we think of the customer's people: never on their page; nor the words
# of our internal commitments and discussion.
JUDGEMENTS = ["Supporter", "Detractor", "Champion", "Decision maker", "Influencer", "Coach"]
INTERNAL_WORDS = ["commitment", "Committed scope", "Holds until", "@manager", "Mentioned:"]


class Markers:
    def __init__(self):
        self.n = 0
        self.internal: list[str] = []
        self.public: list[str] = []

    def secret(self, what: str) -> str:
        self.n += 1
        text = f"INTERNAL{self.n:05d}{what}"
        self.internal.append(text)
        return text

    def amount(self) -> Decimal:
        """An internal amount no page shows otherwise: checked as 9,1xx,xxx and 91xxxxx."""
        self.n += 1
        value = 9_100_000 + self.n * 7
        self.internal += [f"{value:,}", str(value)]
        return Decimal(value)

    def shown(self, what: str) -> str:
        self.n += 1
        text = f"PUBLIC{self.n:05d}{what}"
        self.public.append(text)
        return text

    def title(self, visible: bool, what: str) -> str:
        return self.shown(what) if visible else self.secret(what)


def _random_plan(r: random.Random, org, m: Markers, i: int):
    account = AccountFactory(name=f"Customer {i}", owner=org.rep)
    contacts = [
        ContactFactory(
            account=account,
            first_name=f"Person{i}x{k}",
            last_name="Customer",
            title=m.secret("title"),
            function=m.secret("function"),
            phone=m.secret("phone"),
            attitude=r.choice(Attitude.values),
            decision_role=r.choice(DecisionRole.values),
            relationship_strength=r.choice(RelationshipStrength.values),
            relationship_owner=org.rep,
        )
        for k in range(3)
    ]
    Interaction.objects.create(
        account=account,
        kind="meeting",
        date=datetime.date(2026, 5, 1),
        subject=m.secret("meeting"),
        notes=m.secret("notes"),
    )
    parts = {
        "show_goals": r.random() < 0.75,
        "show_proposal": r.random() < 0.75,
        "show_actions": r.random() < 0.75,
        "show_milestones": r.random() < 0.75,
    }
    if not any(parts.values()):
        parts["show_goals"] = True
    plan = AccountPlan.objects.create(
        account=account,
        owner=org.rep,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        revenue_goal=m.amount(),
        stretch_goal=m.amount(),
        aspiration_value=m.amount(),
        aspiration_statement=m.secret("aspiration"),
        value_perception=m.secret("perception"),
        our_aspirations=m.secret("ouraspirations"),
        customer_business=m.secret("business"),
        customer_trends=m.secret("trends"),
        customer_challenges=m.secret("challenges"),
        our_capabilities=m.secret("capabilities"),
        our_references=m.secret("references"),
        our_offers=m.secret("offers"),
        proposal_vision=m.title(parts["show_proposal"], "vision"),
        proposal_presented_on=datetime.date(2026, 11, 2),
        proposal_presented_to=contacts[0],
        proposal_response=m.title(parts["show_proposal"], "response"),
    )
    ValueStatement.objects.create(
        plan=plan, metric=m.secret("metric"), amount=m.amount(), description=m.secret("value")
    )
    vendor = Vendor.objects.create(
        plan=plan,
        name=m.secret("competitor"),
        estimated_spend=m.amount(),
        strengths=m.secret("strengths"),
        weaknesses=m.secret("weaknesses"),
        relationships=m.secret("theirrelationships"),
    )
    assert vendor.pk
    hidden = {"goals": [], "ideas": [], "actions": [], "milestones": []}
    goals = []
    for _ in range(r.randint(1, 3)):
        keep_internal = r.random() < 0.3
        visible = parts["show_goals"] and not keep_internal
        goal = CustomerGoal.objects.create(
            plan=plan,
            level=r.choice(["corporate", "organisational", "personal"]),
            title=m.title(visible, "goal"),
            customer_aspiration=m.title(visible, "theiraspiration"),
            story=m.secret("story"),
            expectation_now=m.secret("expectnow"),
            expectation_next_year=m.secret("expectnext"),
            source_contact=r.choice(contacts),
            source_note=m.secret("heardwhere"),
        )
        goals.append(goal)
        if keep_internal:
            hidden["goals"].append(goal)
    for _ in range(r.randint(1, 4)):
        in_proposal = r.random() < 0.6
        stage = r.choice(IdeaStage.values)
        keep_internal = r.random() < 0.25
        visible = (
            parts["show_proposal"]
            and in_proposal
            and stage != IdeaStage.DROPPED
            and not keep_internal
        )
        idea = Idea.objects.create(
            plan=plan,
            title=m.title(visible, "idea"),
            problem_statement=m.title(visible, "problem"),
            root_cause=m.secret("rootcause"),
            goal=r.choice(goals),
            delivery=r.choice(Delivery.values),
            partner_name=m.secret("partner"),
            annual_value=m.amount(),
            confidence=r.randint(0, 100),
            stage=stage,
            in_proposal=in_proposal,
            needs_investment=True,
        )
        if keep_internal and in_proposal and stage != IdeaStage.DROPPED:
            hidden["ideas"].append(idea)
        InvestmentCase.objects.create(
            idea=idea,
            title=m.secret("investment"),
            description=m.secret("investmentwhy"),
            cost=m.amount(),
            expected_return=m.amount(),
            risks=m.secret("risks"),
            in_proposal=r.random() < 0.5,
            decision_comment=m.secret("decision"),
        )
    objective = Objective.objects.create(
        plan=plan,
        category="revenue",
        title=m.secret("objective"),
        metric=m.secret("objmetric"),
        target=m.amount(),
        due_date=datetime.date(2027, 9, 30),
        owner=org.rep,
    )
    strategy = Strategy.objects.create(
        objective=objective, description=m.secret("strategy"), resources=m.secret("resources")
    )
    QualitativeGoal.objects.create(plan=plan, text=m.secret("qualitative"))
    HelpRequest.objects.create(
        plan=plan,
        what=m.secret("help"),
        asked_of=org.manager,
        needed_by=datetime.date(2027, 2, 1),
        response=m.secret("helpanswer"),
    )
    # What the rest of the company committed to (or was asked to): internal, whatever
    # its status.
    commitment = HelpRequest.objects.create(
        plan=plan,
        help_kind="commitment",
        function=r.choice(["delivery", "manufacturing", "finance"]),
        what=m.secret("commitment"),
        scope=m.secret("committedscope"),
        committed_from=datetime.date(2027, 3, 1),
        committed_to=datetime.date(2027, 4, 15),
        asked_of=org.manager,
        committed_by=org.manager,
        needed_by=datetime.date(2027, 2, 1),
        hours=Decimal("917.3"),
        status=r.choice(["requested", "committed", "declined"]),
        response=m.secret("commitmentanswer"),
    )
    m.internal.append("917.3")
    # The account team's discussion, on the plan, on a goal the customer may see, and
    # on the commitment: never on the customer's page.
    for subject, object_id in (("plan", None), ("goal", goals[0].pk), ("help", commitment.pk)):
        Comment.objects.create(
            plan=plan,
            subject=subject,
            object_id=object_id,
            author=org.rep,
            text=m.secret("comment") + " @manager",
        )
    for _ in range(r.randint(1, 5)):
        joint = r.random() < 0.6
        status = r.choice(ActionStatus.values)
        keep_internal = r.random() < 0.25
        visible = (
            parts["show_actions"]
            and joint
            and status != ActionStatus.CANCELLED
            and not keep_internal
        )
        action = Action.objects.create(
            plan=plan,
            strategy=strategy,
            title=m.title(visible, "action"),
            owner=org.rep,
            due_date=datetime.date(2027, 3, r.randint(1, 28)),
            effort_hours=Decimal("913.7"),
            status=status,
        )
        if joint:
            action.contacts.set(r.sample(contacts, r.randint(1, 3)))
            if keep_internal and status != ActionStatus.CANCELLED:
                hidden["actions"].append(action)
    for _ in range(r.randint(0, 3)):
        keep_internal = r.random() < 0.3
        milestone = Milestone.objects.create(
            plan=plan,
            objective=objective,
            title=m.title(parts["show_milestones"] and not keep_internal, "milestone"),
            date=datetime.date(2027, 5, r.randint(1, 28)),
        )
        if keep_internal:
            hidden["milestones"].append(milestone)
    share = mutual.share_create(
        plan=plan,
        user=org.rep,
        recipients=contacts[:2],
        requires_code=r.random() < 0.5,
        note=m.secret("sharenote"),
        hidden_goals=hidden["goals"],
        hidden_ideas=hidden["ideas"],
        hidden_actions=hidden["actions"],
        hidden_milestones=hidden["milestones"],
        **parts,
    )
    return share, contacts


def _customer_answers(share, contacts, r: random.Random, goal_ids, action_ids) -> list[str]:
    """Every answer a customer can get from the link, as text."""
    path = share_path(share)
    client = Client(REMOTE_ADDR=f"203.0.113.{r.randint(1, 250)}")
    answers = [client.get(path).content.decode()]
    contact = contacts[0]
    if share.requires_code:
        answers.append(
            client.post(path, {"do": "confirm", "item": r.choice(goal_ids)}).content.decode()
        )
        answers.append(
            client.post(path, {"do": "send_code", "email": contact.email}).content.decode()
        )
        answers.append(client.get(path).content.decode())
        answers.append(mail.outbox[-1].subject + mail.outbox[-1].body)
        answers.append(client.post(path, {"do": "sign_in", "code": "x"}).content.decode())
        client.post(path, {"do": "send_code", "email": contact.email})
        code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
        client.post(path, {"do": "sign_in", "code": code})
        answers.append(client.get(path).content.decode())
    # Refusals render the page again with the message.
    answers.append(
        client.post(path, {"do": "confirm", "item": r.choice(goal_ids)}).content.decode()
    )
    answers.append(
        client.post(
            path,
            {"do": "comment", "item": r.choice(goal_ids), "contact": contact.pk, "comment": ""},
        ).content.decode()
    )
    answers.append(
        client.post(
            path, {"do": "done", "item": r.choice(action_ids), "contact": contact.pk}
        ).content.decode()
    )
    answers.append(
        client.post(path, {"do": "add", "contact": contact.pk, "title": ""}).content.decode()
    )
    return answers


@pytest.mark.parametrize("seed", [20261206, 18])
def test_no_internal_field_reaches_the_customer(org, seed, monkeypatch):
    monkeypatch.setattr(limits, "PER_ADDRESS", (10_000, 60))
    monkeypatch.setattr(limits, "PER_LINK", (10_000, 600))
    r = random.Random(seed)
    checked = 0
    for i in range(PLANS):
        m = Markers()
        share, contacts = _random_plan(r, org, m, i)
        goal_ids = list(CustomerGoal.objects.filter(plan=share.plan).values_list("pk", flat=True))
        action_ids = list(Action.objects.filter(plan=share.plan).values_list("pk", flat=True))
        answers = _customer_answers(share, contacts, r, goal_ids, action_ids)
        text = "\n".join(answers)
        leaked = [marker for marker in m.internal if marker in text]
        assert not leaked, f"seed {seed}, plan {i}: {leaked[:5]}"
        judged = [word for word in JUDGEMENTS + INTERNAL_WORDS if word in text]
        assert not judged, f"seed {seed}, plan {i}: {judged}"
        # What is shared is really there (else the test would pass on an empty page).
        page = answers[-5]
        missing = [marker for marker in m.public if marker not in page]
        assert not missing, f"seed {seed}, plan {i}: shared but not shown {missing[:5]}"
        checked += len(m.internal)
        # A customer action never leaks either, and the owner still sees the plan whole.
        mail.outbox.clear()
    assert checked > PLANS * 60
