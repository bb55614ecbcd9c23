import datetime
import io
from decimal import Decimal

import pytest

from keyplan.plans import services
from tests.factories import ContactFactory

START = datetime.date(2027, 1, 1)
END = datetime.date(2027, 12, 31)


@pytest.fixture
def plan(org):
    """The rep's plan for "Mine Group": revenue goal 1,000,000, stretch 1,500,000, one
    customer goal, two open ideas (1,500,000 and 1,000,000: pipeline 2,500,000, so
    coverage 2.50x the goal and 1.67x the stretch), an objective with a strategy and an
    action, and two contacts on the map (the CFO reports to the CEO)."""
    org.rep.first_name, org.rep.last_name = "Amir", "Becker"
    org.rep.save()
    ceo = ContactFactory(
        account=org.mine,
        first_name="Clara",
        last_name="Chief",
        title="CEO",
        decision_role="decision_maker",
        attitude="supporter",
        relationship_strength="strong",
    )
    cfo = ContactFactory(
        account=org.mine,
        first_name="Jana",
        last_name="Castro",
        title="CFO",
        reports_to=ceo,
        decision_role="decision_maker",
        attitude="neutral",
        relationship_strength="weak",
    )
    plan = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=START,
        period_end=END,
        revenue_goal=Decimal("1000000"),
        stretch_goal=Decimal("1500000"),
    )
    goal = services.element_save(
        kind="goal",
        plan=plan,
        user=org.rep,
        level="corporate",
        title="Halve the time to close the books",
        story="The CFO promised the board.",
    )
    services.element_save(
        kind="idea",
        plan=plan,
        user=org.rep,
        title="Finance data platform",
        annual_value=Decimal("1500000"),
        expected_date=datetime.date(2027, 6, 30),
        confidence=50,
        goal=goal,
    )
    services.element_save(
        kind="idea",
        plan=plan,
        user=org.rep,
        title="Close automation",
        annual_value=Decimal("1000000"),
        confidence=40,
    )
    objective = services.element_save(
        kind="objective",
        plan=plan,
        user=org.rep,
        category="revenue",
        title="Grow to 1M",
        metric="revenue",
        target=Decimal("1000000"),
        due_date=datetime.date(2027, 12, 31),
        owner=org.rep,
    )
    strategy = services.element_save(
        kind="strategy",
        plan=plan,
        user=org.rep,
        objective=objective,
        description="Land the finance platform",
    )
    services.element_save(
        kind="action",
        plan=plan,
        user=org.rep,
        title="Meet the CFO",
        strategy=strategy,
        owner=org.rep,
        due_date=datetime.date(2027, 3, 1),
        effort_hours=Decimal("4"),
        contacts=[cfo],
    )
    org.ceo, org.cfo = ceo, cfo
    return plan


def download_links(html: str, base: str) -> list[str]:
    """The formats whose download link (``{base}{fmt}/``, labelled as the pages label it)
    is missing from ``html``."""
    labels = {"pptx": "PowerPoint", "pdf": "PDF", "xlsx": "Excel", "md": "Markdown"}
    return [
        fmt
        for fmt, label in labels.items()
        if f'href="{base}{fmt}/" download data-testid="download-{fmt}">{label}</a>' not in html
    ]


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def deck_texts(content: bytes) -> list[str]:
    """Each slide's text (text boxes and table cells), in order."""
    from pptx import Presentation

    slides = []
    for slide in Presentation(io.BytesIO(content)).slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts += [c.text for row in shape.table.rows for c in row.cells]
        slides.append("\n".join(parts))
    return slides


TERRITORY_FY = 2027


@pytest.fixture
def territory(org):
    """Rita Reyes's territory plan for FY 2027: her accounts tiered (Mine Group A, Acme
    Foods B, Small Shop C), a quota of 1,000,000, the facts read, one strategy ("Partner
    webinars", Ravi Rao giving 12.5 hours a month) with one activity, revenue objectives
    by tier of 800,000 (A) and 400,000 (B) — 1.20x the quota — and one goal."""
    from django.utils import timezone

    from keyplan.salesplan.periods import Period
    from keyplan.salesplan.services import quota_save
    from keyplan.salesplan.territory import services as ts
    from keyplan.territory.models import AccountTier
    from tests.factories import AccountFactory

    for user, first, last in (
        (org.rep, "Rita", "Reyes"),
        (org.rep2, "Ravi", "Rao"),
        (org.manager, "Max", "Moreno"),
        (org.executive, "Eve", "Ekman"),
        (org.other, "Otto", "Olsen"),
    ):
        user.first_name, user.last_name = first, last
        user.save()
    org.acme = AccountFactory(name="Acme Foods", owner=org.rep)
    org.small = AccountFactory(name="Small Shop", owner=org.rep)
    for account, tier in ((org.mine, "A"), (org.acme, "B"), (org.small, "C")):
        AccountTier.objects.create(account=account, tier=tier, score=50, accepted_at=timezone.now())
    fy = TERRITORY_FY
    quota_save(user=org.ops, level="rep", rep=org.rep, period=Period(fy), amount=Decimal(1_000_000))
    plan = ts.territory_plan_create(user=org.rep, rep=org.rep, fiscal_year=fy)
    plan = ts.facts_review(user=org.rep, plan=plan, note="A accounts carry it")
    webinars = ts.strategy_save(
        user=org.rep,
        plan=plan,
        data={
            "title": "Partner webinars",
            "description": "Monthly webinars with our two partners for the finance teams",
            "first_month": datetime.date(fy, 2, 1),
            "last_month": datetime.date(fy, 6, 1),
            "leverages": ["partners"],
            "target_tiers": ["A", "B"],
        },
    )
    ts.resource_save(
        user=org.rep,
        strategy=webinars,
        data={"person": org.rep2, "hours_per_month": "12.5", "role": "Runs the webinars"},
    )
    ts.activity_save(
        user=org.rep,
        plan=plan,
        data={
            "strategy": webinars.pk,
            "title": "First webinar",
            "owner": org.rep,
            "due_date": datetime.date(fy, 3, 15),
            "effort_hours": "6",
        },
    )
    for tier, target in (("A", 800_000), ("B", 400_000)):
        ts.objective_save(
            user=org.rep,
            plan=plan,
            data={
                "kind": "revenue_tier",
                "dimension": tier,
                "title": f"Revenue from {tier} accounts",
                "target": str(target),
                "strategies": [webinars.pk],
            },
        )
    ts.goal_save(user=org.rep, plan=plan, data={"text": "Partner of record in the north"})
    plan.refresh_from_db()
    org.webinars = webinars
    return plan


@pytest.fixture
def sitting(org, plan):
    """Amir Becker's Q1 FY 2027 sitting: the "Mine Group" plan activated (a version kept
    then), after which an idea "Treasury analytics" was added with an investment case
    submitted for approval, help asked of Ravi Rao, and an action left overdue; a second
    active plan for "Northwind Retail" (goal 600,000); a draft plan that is not in it."""
    from keyplan.plans.models import Action
    from tests.factories import AccountFactory

    org.rep2.first_name, org.rep2.last_name = "Ravi", "Rao"
    org.rep2.save()
    org.manager.first_name, org.manager.last_name = "Max", "Moreno"
    org.manager.save()
    services.plan_activate(plan=plan, user=org.rep)
    idea = services.element_save(
        kind="idea",
        plan=plan,
        user=org.rep,
        title="Treasury analytics",
        annual_value=Decimal("300000"),
        confidence=30,
        needs_investment=True,
    )
    case = services.element_save(
        kind="investment",
        plan=plan,
        user=org.rep,
        idea=idea,
        title="Treasury pilot kit",
        cost=Decimal("45000"),
        expected_return=Decimal("300000"),
    )
    services.investment_submit(case=case, user=org.rep)
    services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        what="A solution architect for the treasury demo",
        asked_of=org.rep2,
        needed_by=datetime.date(2027, 2, 1),
        hours=Decimal("16"),
    )
    # The CFO meeting slipped: due before today, still planned.
    Action.objects.filter(plan=plan, title="Meet the CFO").update(
        due_date=datetime.date(2026, 11, 2)
    )
    north = AccountFactory(name="Northwind Retail", owner=org.rep)
    second = services.plan_create(
        account=north,
        user=org.rep,
        period_start=START,
        period_end=END,
        revenue_goal=Decimal("600000"),
        stretch_goal=Decimal("750000"),
    )
    services.plan_activate(plan=second, user=org.rep)
    draft_account = AccountFactory(name="Draft Holdings", owner=org.rep)
    services.plan_create(
        account=draft_account,
        user=org.rep,
        period_start=START,
        period_end=END,
        revenue_goal=Decimal("100000"),
    )
    org.north, org.second = north, second
    plan.refresh_from_db()
    return plan
