"""The territory plan's deck fits at the longest texts a plan can hold (five strategies
with 200-character titles and long descriptions, activities with 255-character titles,
many A accounts): long tables and lists go on to continuation slides and every box's
text is within it; the demo's territory plans export in every format and fit too."""

import datetime

import pytest
from django.utils import timezone

from keyplan.core import words
from keyplan.outputs.export import export_territory_plan
from keyplan.outputs.territory_content import territory_document
from keyplan.outputs.territory_deck import TerritoryDeck
from tests.outputs.conftest import deck_texts, pdf_text
from tests.outputs.test_deck_fits import assert_fits

pytestmark = pytest.mark.django_db


def test_the_longest_texts_go_on_to_continuation_slides(org, territory):
    from keyplan.salesplan.territory import services as ts
    from keyplan.territory.models import AccountTier
    from tests.factories import AccountFactory

    long = "Run the joint campaign with every regional partner and their finance teams " * 40
    for n in range(36):
        account = AccountFactory(name=f"Account {n:02d} " + "Holdings " * 8, owner=org.rep)
        AccountTier.objects.create(account=account, tier="A", score=90, accepted_at=timezone.now())
    strategies = [org.webinars]
    for n in range(4):
        strategies.append(
            ts.strategy_save(
                user=org.rep,
                plan=territory,
                data={
                    "title": f"Strategy {n} " + long[: 200 - 11],
                    "description": long,
                    "first_month": datetime.date(2027, 1, 1),
                    "last_month": datetime.date(2027, 12, 1),
                    "leverages": ["marketing", "partners", "sdrs", "executives"],
                    "target_tiers": ["A", "B", "C"],
                },
            )
        )
    for n, strategy in enumerate(strategies * 8):
        ts.activity_save(
            user=org.rep,
            plan=territory,
            data={
                "strategy": strategy.pk,
                "title": f"Activity {n} " + long[: 255 - 12],
                "owner": org.rep,
                "due_date": datetime.date(2027, 1 + n % 12, 1 + n % 28),
                "effort_hours": "3",
            },
        )
    for n, strategy in enumerate(strategies[1:]):
        ts.objective_save(
            user=org.rep,
            plan=territory,
            data={
                "kind": "activity",
                "title": f"Objective {n} " + long[: 255 - 13],
                "target": "12",
                "cadence": "month",
                "strategies": [strategy.pk],
            },
        )
    for n in range(12):
        ts.goal_save(user=org.rep, plan=territory, data={"text": f"Goal {n} " + long[:245]})
    territory.refresh_from_db()
    deck = TerritoryDeck(territory_document(territory, org.rep)).build()
    content = deck.save()
    slides = deck_texts(content)
    titles = [s.split("\n")[0] for s in slides]
    for title in ("The accounts", "Activities", "Strategies and the people they need", "Goals"):
        pages = [t for t in titles if t.startswith(title + " (")]
        assert len(pages) >= 2, title
        assert pages[-1] == f"{title} ({len(pages)} of {len(pages)})"
    # Thirty accounts on the slides, the rest said to be in the workbook.
    assert any("9 more accounts in the workbook" in s for s in slides)
    for n in range(40):
        assert any(f"Activity {n} Run the joint" in s for s in slides), n
    assert_fits(deck, content)


def test_the_demo_territory_plans_export_and_fit(db):
    import io

    import openpyxl

    from keyplan.people.models import User
    from keyplan.salesplan.models import TerritoryPlan
    from tests.territory.conftest import run_generate

    run_generate("--accounts", 60, "--seed", 11)
    executive = User.objects.filter(role="executive").first()
    plans = list(TerritoryPlan.objects.select_related("rep").order_by("pk"))
    assert plans
    for plan in plans:
        doc = territory_document(plan, executive)
        deck = TerritoryDeck(doc).build()
        content = deck.save()
        assert_fits(deck, content)
        figures = [doc.rep_name, words.amount(doc.quota), words.amount(doc.revenue)]
        figures += [s.title for s in doc.strategies[:2]]
        deck_text = "\n".join(deck_texts(content))
        pdf = " ".join(
            pdf_text(export_territory_plan(plan=plan, user=executive, fmt="pdf").content).split()
        )
        md = export_territory_plan(plan=plan, user=executive, fmt="md").content.decode()
        for figure in figures:
            assert figure in deck_text and figure in pdf and figure in md, (plan.pk, figure)
        book = openpyxl.load_workbook(
            io.BytesIO(export_territory_plan(plan=plan, user=executive, fmt="xlsx").content)
        )
        glance = {r[0].value: r[1] for r in book["at a glance"].iter_rows(min_row=2)}
        assert glance["Quota"].value == pytest.approx(float(doc.quota))
        assert all(r[3].is_date for r in book["activities"].iter_rows(min_row=2))
