"""New-offering requests rolled up for product management: ideas flagged "needs
something we do not sell yet", grouped by the kind of need the reps chose, with the
accounts asking and their value (the sum of the ideas' estimated annual values) and the
plans asking. Read in one query over what the viewer may see (``visible_to``); the page,
its CSV and the API all read ``new_offering_rollup``."""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from keyplan.plans.choices import OPEN_IDEA_STAGES, PlanStatus

NOT_LABELLED = "Not labelled"


@dataclass
class AccountAsking:
    account: object
    value: Decimal = Decimal("0")
    ideas: int = 0


@dataclass
class OfferingNeed:
    """One kind of need: the ideas asking for it across accounts."""

    label: str
    value: Decimal = Decimal("0")
    ideas: list = field(default_factory=list)
    accounts: list[AccountAsking] = field(default_factory=list)
    plans: list = field(default_factory=list)


def _key(label: str) -> str:
    return " ".join(label.split()).casefold()


def asking_ideas(user):
    """The open ideas of live plans (draft or active) flagged as new-offering requests
    that ``user`` may see, with their plan and account, in one query."""
    from keyplan.plans.models import Idea

    return (
        Idea.objects.visible_to(user)
        .filter(
            needs_new_offering=True,
            stage__in=OPEN_IDEA_STAGES,
            plan__status__in=[PlanStatus.DRAFT, PlanStatus.ACTIVE],
        )
        .select_related("plan__account", "plan__owner")
        .order_by("plan__account__name", "-annual_value", "pk")
    )


def new_offering_rollup(user) -> list[OfferingNeed]:
    """The needs, largest total value first. Similar needs are those the reps gave the
    same label, ignoring case and spacing; the label shown is its most used spelling."""
    groups: dict[str, list] = {}
    for idea in asking_ideas(user):
        groups.setdefault(_key(idea.new_offering_category) or "", []).append(idea)
    needs = []
    for key, ideas in groups.items():
        spellings = Counter(" ".join(i.new_offering_category.split()) for i in ideas)
        need = OfferingNeed(label=spellings.most_common(1)[0][0] if key else NOT_LABELLED)
        by_account: dict[int, AccountAsking] = {}
        plans = {}
        for idea in ideas:
            need.ideas.append(idea)
            need.value += idea.annual_value
            row = by_account.setdefault(idea.plan.account_id, AccountAsking(idea.plan.account))
            row.value += idea.annual_value
            row.ideas += 1
            plans.setdefault(idea.plan_id, idea.plan)
        need.accounts = sorted(by_account.values(), key=lambda a: (-a.value, a.account.name))
        need.plans = list(plans.values())
        needs.append(need)
    return sorted(needs, key=lambda n: (-n.value, n.label.casefold()))


CSV_HEADER = [
    "Need",
    "Total annual value",
    "Account",
    "Account value",
    "Plan",
    "Plan owner",
    "Idea",
    "Idea annual value",
    "Stage",
    "What the customer needs",
]


def rollup_rows(needs: list[OfferingNeed]):
    """One row per asking idea, with its need's total and its account's value."""
    for need in needs:
        account_value = {a.account.pk: a.value for a in need.accounts}
        for idea in need.ideas:
            plan = idea.plan
            yield [
                need.label,
                need.value,
                plan.account.name,
                account_value[plan.account_id],
                plan.period_label,
                str(plan.owner) if plan.owner_id else "",
                idea.title,
                idea.annual_value,
                idea.get_stage_display(),
                idea.new_offering_need,
            ]


def categories_in_use(limit: int = 200) -> list[str]:
    """The labels reps gave their needs so far, for the idea form to offer (the words
    product management groups by, not account data)."""
    from keyplan.plans.models import Idea

    labels = (
        Idea.objects.filter(needs_new_offering=True)
        .exclude(new_offering_category="")
        .values_list("new_offering_category", flat=True)
        .distinct()
        .order_by("new_offering_category")[:limit]
    )
    seen = {}
    for label in labels:
        seen.setdefault(_key(label), label)
    return list(seen.values())
