"""What a freshly generated demo territory starts with beyond its facts: a first ideal
customer profile whose tiers sales ops have accepted, and the key stakeholder roles per
product line, so the tiers and audience pages have something to show at once."""

from keyplan.catalog.models import ProductLine
from keyplan.people.models import User

STARTING_CRITERIA = [
    {
        "kind": "industry_in",
        "values": ["Technology", "Financial Services", "Energy"],
        "weight": 25,
        "label": "Technology, financial services or energy",
    },
    {
        "kind": "employees_between",
        "values": [2000, None],
        "weight": 25,
        "label": "2,000 employees or more",
    },
    {
        "kind": "owns_line",
        "values": ["Analytics", "Data Platform"],
        "weight": 30,
        "label": "Buys Analytics or Data Platform",
    },
    {
        "kind": "open_opportunity",
        "values": [],
        "weight": 20,
        "label": "Has an open opportunity",
    },
]

STARTING_ROLES = {
    "Analytics": [
        ("CIO", "Chief Information Officer, CIO"),
        ("Head of analytics", "IT Director, Enterprise Architect"),
        ("CFO", "Chief Financial Officer, CFO"),
    ],
    "Data Platform": [
        ("CIO", "Chief Information Officer, CIO"),
        ("Architect", "Enterprise Architect, IT Director"),
    ],
    "Security": [
        ("CISO", "Chief Information Security Officer, CISO"),
        ("Security lead", "Security Director, Security Manager"),
    ],
    "Cloud Infrastructure": [
        ("CIO", "Chief Information Officer, CIO"),
        ("IT operations", "IT Manager, Systems Engineer"),
    ],
    "Integration": [("Architect", "Enterprise Architect, IT Director")],
    "Professional Services": [("COO", "Chief Operating Officer, COO")],
    "Training": [("HR", "Chief Human Resources Officer, HR Director")],
}


def starting_roles() -> None:
    """Key stakeholder roles per product line, for the audience analysis."""
    from keyplan.territory.models import StakeholderRole

    lines = {pl.name: pl for pl in ProductLine.objects.all()}
    StakeholderRole.objects.bulk_create(
        [
            StakeholderRole(product_line=lines[line], name=name, title_keywords=keywords)
            for line, items in STARTING_ROLES.items()
            if line in lines
            for name, keywords in items
        ]
    )


def starting_tiers() -> None:
    """Tiers from a starting profile, accepted by sales ops. A regenerated territory
    (--flush) keeps the profile sales ops made, and its accounts still get tiers."""
    from keyplan.territory.models import AccountTier, IcpVersion, StakeholderRole
    from keyplan.territory.services import icp_save, proposals_decide, tiers_recompute

    ops = User.objects.filter(role="sales_ops").order_by("pk").first()
    if not StakeholderRole.objects.exists():
        starting_roles()
    if IcpVersion.objects.exists():
        if not AccountTier.objects.exists():
            run = tiers_recompute(user=ops)
            proposals_decide(user=ops, proposals=run.proposals.all(), accept=True)
        return
    icp_save(user=ops, note="Starting profile", criteria=STARTING_CRITERIA)
    run = tiers_recompute(user=ops)
    proposals_decide(user=ops, proposals=run.proposals.all(), accept=True)
