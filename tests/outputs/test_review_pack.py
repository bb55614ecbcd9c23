"""A rep's quarterly review sitting pack: one deck (or PDF) with a title slide for the
sitting — rep, manager, quarter, the plans with their health — then each active plan's
summary slides (at a glance, forecast against the goal, coverage, health reasons,
overdue actions, what changed since the last version, decisions waiting). Reachable by
the rep and their manager (and who sees everything), 404 for anyone else."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyplan.outputs.content import plan_document
from keyplan.outputs.export import review_pack_export
from keyplan.outputs.review_deck import ReviewDeck
from keyplan.outputs.review_pack import review_pack
from keyplan.salesplan.periods import Period
from tests.outputs.conftest import deck_texts, pdf_text
from tests.outputs.test_deck_fits import assert_fits

pytestmark = pytest.mark.django_db

Q1 = Period(2027, 1)


def _pack(org, fmt="pptx", user=None, quarter="2027-Q1"):
    return review_pack_export(
        rep_id=str(org.rep.pk), quarter=quarter, user=user or org.manager, fmt=fmt
    )


def test_the_deck_opens_on_the_sitting_then_four_slides_a_plan(org, sitting):
    health = plan_document(sitting, org.manager).health.score
    exported = _pack(org)
    assert exported.filename == "Review pack - Amir Becker - 2027-Q1.pptx"
    slides = deck_texts(exported.content)
    titles = [s.split("\n")[0] for s in slides]
    assert titles == [
        "Quarterly review: Amir Becker · Q1 FY 2027",
        "Mine Group: at a glance",
        "Mine Group: forecast against the goal",
        f"Mine Group: health {health}/100",
        "Mine Group: since the last review",
        "Northwind Retail: at a glance",
        "Northwind Retail: forecast against the goal",
        "Northwind Retail: health 33/100",
        "Northwind Retail: since the last review",
    ]
    sitting_slide = slides[0]
    assert "rep Amir Becker · manager Max Moreno" in sitting_slide
    assert "Q1 FY 2027 (January – March 2027)" in sitting_slide
    # The plans in it with their health; the draft plan is not reviewed.
    assert f"Mine Group\nJan 2027 – Dec 2027\n{health}/100\n1,000,000 USD" in sitting_slide
    assert "Northwind Retail\nJan 2027 – Dec 2027\n33/100\n600,000 USD" in sitting_slide
    assert "Draft Holdings" not in "\n".join(slides)


def test_each_plan_says_what_changed_what_is_overdue_and_what_waits(org, sitting):
    slides = deck_texts(_pack(org).content)
    forecast, health, since = slides[2], slides[3], slides[4]
    assert "Pipeline 2,800,000 USD is 2.80x the revenue goal, in the 2.5-3x band" in forecast
    assert "Pipeline coverage: 20/20 — 2.80x of the goal (2.5x wanted)" in health
    assert "Overdue actions (1)" in health
    assert "Meet the CFO — Amir Becker, due 2026-11-02, 4 h, planned" in health
    assert "Since version 1 (plan activated) of" in since
    assert "Ideas: added Treasury analytics." in since
    assert "Investment cases: added Treasury pilot kit." in since
    assert "Decisions waiting (2)" in since
    assert "Investment: Treasury pilot kit — our cost 45,000 USD (submitted for approval)" in since
    assert (
        "Help: A solution architect for the treasury demo — asked of Ravi Rao by "
        "2027-02-01, 16 h (requested)" in since
    )
    assert "nothing changed." in slides[8] and "No decision waiting." in slides[8]


def test_the_forecast_chart_is_native_with_the_goals_and_pipeline(org, sitting):
    from pptx import Presentation

    prs = Presentation(io.BytesIO(_pack(org).content))
    chart = next(s.chart for s in prs.slides[2].shapes if s.has_chart)
    assert list(chart.plots[0].categories) == [
        "Revenue goal",
        "Stretch goal",
        "Pipeline",
        "2.5x the goal",
    ]
    assert list(chart.series[0].values) == [1_000_000, 1_500_000, 2_800_000, 2_500_000]


def test_the_pdf_holds_the_same(org, sitting):
    exported = _pack(org, "pdf")
    assert exported.content.startswith(b"%PDF")
    text = " ".join(pdf_text(exported.content).split())
    for said in (
        "Quarterly review: Amir Becker · Q1 FY 2027",
        "manager Max Moreno",
        "Mine Group · health",
        "Northwind Retail · health 33/100",
        "Meet the CFO — Amir Becker, due 2026-11-02",
        "Ideas: added Treasury analytics.",
        "Investment: Treasury pilot kit — our cost 45,000 USD (submitted for approval)",
        "Page 1 of",
    ):
        assert said in text, said


def test_every_slide_fits_at_the_longest_texts(org, sitting):
    from keyplan.plans import services

    long = "Agree the roll-out plan with every regional director and their finance partner " * 3
    objective = sitting.objectives.get()
    strategy = objective.strategies.get()
    for n in range(14):
        services.element_save(
            kind="action",
            plan=sitting,
            user=org.rep,
            title=f"Overdue {n}: " + long[:230],
            strategy=strategy,
            owner=org.rep,
            due_date=__import__("datetime").date(2027, 1, 1 + n),
            effort_hours=Decimal("2"),
        )
    for n in range(10):
        services.element_save(
            kind="idea",
            plan=sitting,
            user=org.rep,
            title=f"Idea {n}: " + long[:180],
            annual_value=Decimal("1000"),
        )
    from django.utils import timezone

    from keyplan.plans.models import Action

    Action.objects.filter(title__startswith="Overdue").update(
        due_date=timezone.localdate().replace(day=1)
    )
    deck = ReviewDeck(review_pack(rep=org.rep, quarter=Q1, user=org.manager)).build()
    content = deck.save()
    titles = [t.split("\n")[0] for t in deck_texts(content)]
    # The long lists go on to continuation slides rather than off the slide.
    health = [t for t in titles if t.startswith("Mine Group: health")]
    assert len(health) >= 2 and health[-1].endswith(f"({len(health)} of {len(health)})")
    slides = deck_texts(content)
    for n in range(14):  # every overdue action is on some slide
        assert any(f"Overdue {n}: Agree the roll-out" in s for s in slides)
    assert_fits(deck, content)


def test_who_may_have_the_pack(org, sitting, api_client, client):
    url = f"/api/v1/review-packs/?rep={org.rep.pk}&quarter=2027-Q1&format=pptx"
    for reader in (org.rep, org.manager, org.executive):
        api_client.force_authenticate(reader)
        response = api_client.get(url)
        assert response.status_code == 200, reader
        assert response["Content-Disposition"].startswith(
            'attachment; filename="Review pack - Amir Becker - 2027-Q1.pptx"'
        )
    for outsider in (org.other, org.rep2):  # another team's rep; a teammate
        api_client.force_authenticate(outsider)
        assert api_client.get(url).status_code == 404, outsider
        client.force_login(outsider)
        assert (
            client.get(f"/review-packs/?rep={org.rep.pk}&quarter=2027-Q1&format=pdf").status_code
            == 404
        )
    client.logout()
    assert (
        client.get(f"/review-packs/?rep={org.rep.pk}&quarter=2027-Q1&format=pdf").status_code == 302
    )


def test_a_wrong_parameter_is_400_saying_which(org, sitting, api_client):
    api_client.force_authenticate(org.manager)
    base = f"/api/v1/review-packs/?rep={org.rep.pk}"
    response = api_client.get(base + "&quarter=2027&format=pptx")
    assert response.status_code == 400
    assert response.json() == {
        "quarter": [
            "quarter: “2027” is a whole year; a review sitting is for one quarter, e.g. “2027-Q1”."
        ]
    }
    response = api_client.get(base + "&quarter=2027-Q1&format=xlsx")
    assert response.json() == {
        "format": ["format: 'xlsx' is not a format a review pack comes in; use pptx or pdf."]
    }
    response = api_client.get("/api/v1/review-packs/?rep=me&quarter=2027-Q1&format=pdf")
    assert response.json() == {
        "rep": ["rep: 'me' is not a rep's id; give the number, e.g. rep=12."]
    }
    response = api_client.get(base + "&quarter=soon&format=pdf")
    assert response.json() == {
        "quarter": ["quarter: “soon” is not a quarter: write it as “2027-Q1” or “Q1 FY 2027”."]
    }


def test_a_quarter_without_active_plans_says_so(org, sitting):
    slides = deck_texts(_pack(org, quarter="2028-Q2").content)
    assert len(slides) == 1
    assert "No active account plan of Amir Becker runs in Q2 FY 2028" in slides[0]


def test_queries_do_not_grow_with_what_a_plan_holds(org, sitting):
    from keyplan.plans import services

    _pack(org)  # caches warm

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            review_pack(rep=org.rep, quarter=Q1, user=org.manager)
        return len(captured)

    few = queries()
    strategy = sitting.objectives.get().strategies.get()
    for n in range(8):
        services.element_save(
            kind="action",
            plan=sitting,
            user=org.rep,
            title=f"More work {n}",
            strategy=strategy,
            owner=org.rep,
            due_date=__import__("datetime").date(2027, 2, 1 + n),
            effort_hours=Decimal("1"),
        )
        services.element_save(
            kind="idea", plan=sitting, user=org.rep, title=f"Idea {n}", annual_value=Decimal("1000")
        )
    assert queries() == few


def test_the_team_board_links_each_reps_pack(org, sitting, client):
    client.force_login(org.manager)
    html = client.get("/team/?period=Q1+FY+2027").content.decode()
    assert (
        f'href="/review-packs/?rep={org.rep.pk}&amp;quarter=2027-Q1&amp;format=pptx" download '
        'data-testid="review-pack-pptx">Q1 FY 2027 deck</a>' in html
    )
    assert f'href="/review-packs/?rep={org.rep.pk}&amp;quarter=2027-Q1&amp;format=pdf"' in html
    response = client.get(f"/review-packs/?rep={org.rep.pk}&quarter=2027-Q1&format=pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
