"""A review sitting's pack as a deck: a title slide for the sitting (the rep, their
manager, the quarter, the plans in it with their health), then four slides a plan — at
a glance; the forecast against the goal and the coverage (a native chart); health and
its reasons with the overdue actions; what changed since the last version and the
decisions waiting. Built of ``slides``' pieces; the plan deck's sentences
(``deck.coverage_headline``, ``deck.action_in_words``) say the same things the same way."""

from django.conf import settings

from keyplan.core import words
from keyplan.outputs.content import ask_in_words
from keyplan.outputs.deck import action_in_words, coverage_headline
from keyplan.outputs.review_pack import PackPlan, ReviewPack
from keyplan.outputs.slides import (
    BODY_H,
    BODY_W,
    GREY,
    LEFT,
    NAVY,
    TOP,
    Heading,
    SlideDeck,
    short,
)


def health_in_words(p: PackPlan) -> str:
    return f"{p.doc.health.score}/100"


def coverage_in_words(p: PackPlan) -> str:
    g = p.doc.coverage.revenue
    return words.ratio(g.ratio) if g and g.ratio else words.EMPTY


def forecast_figures(p: PackPlan) -> list[tuple[str, object]]:
    """(label, amount) for the forecast-against-goal chart: what the plan aims at and
    what the pipeline and the forecast say it will get."""
    plan, doc = p.plan, p.doc
    rows = [("Revenue goal", plan.revenue_goal), ("Stretch goal", plan.stretch_goal)]
    if doc.gap is not None:
        rows.append((f"Forecast {doc.gap.start:%Y-%m} to {doc.gap.end:%Y-%m}", doc.gap.expected))
    rows.append(("Pipeline", doc.coverage.pipeline))
    if plan.revenue_goal:
        rows.append(("2.5x the goal", plan.revenue_goal * 5 / 2))
    return [(label, value) for label, value in rows if value is not None]


class ReviewDeck(SlideDeck):
    doc: ReviewPack

    def title_slide(self):
        """The sitting: who, whose manager, which quarter, and the plans in it with their
        health (on continuation slides should a rep have many)."""
        pack = self.doc
        sitting = (
            f"{pack.quarter.label} · rep {pack.rep_name} · manager {pack.manager_name} · "
            f"{words.plural(len(pack.plans), 'plan')}, about 30 minutes each · prepared by "
            f"{pack.generated_by} on {words.day(pack.generated_on)}"
        )
        if not pack.plans:
            slide = self.slide(pack.title, sitting)
            self.text(
                slide,
                f"No active account plan of {pack.rep_name} runs in {pack.quarter.name} "
                "(or none you may see).",
                LEFT,
                TOP,
                BODY_W,
                0.6,
                size=16,
            )
            return
        rows = [
            [
                short(p.doc.account_name, 120),
                p.doc.period_label,
                health_in_words(p),
                words.amount(p.plan.revenue_goal),
                coverage_in_words(p),
                str(len(p.doc.overdue_actions)),
                str(len(p.decisions)),
            ]
            for p in pack.plans
        ]
        header = [
            "Plan",
            "Period",
            "Health",
            "Revenue goal",
            "Coverage",
            "Overdue actions",
            "Decisions waiting",
        ]
        self.table_slides(
            pack.title,
            header,
            rows,
            [3.0, 2.4, 1.1, 1.8, 1.4, 1.4, 1.5],
            sitting,
            size=12,
            numeric=(2, 3, 4, 5, 6),
        )

    def glance_slide(self, p: PackPlan):
        doc = p.doc
        slide = self.slide(
            f"{doc.account_name}: at a glance",
            f"{doc.period_label} · health {health_in_words(p)} · {doc.status_label}",
        )
        used = self.tiles(slide, doc.at_a_glance)
        self.words_under(
            slide,
            " ".join(doc.forecast_sentences)
            or "No forecast for this plan's period yet: it is computed after sales change.",
            TOP + used,
        )

    def forecast_slide(self, p: PackPlan):
        doc = p.doc
        slide = self.slide(f"{doc.account_name}: forecast against the goal", coverage_headline(doc))
        figures = forecast_figures(p)
        self.bar_chart(
            slide,
            [label for label, _ in figures],
            [(f"Amount ({settings.KEYPLAN_CURRENCY})", [v for _, v in figures])],
            LEFT,
            TOP,
            BODY_W * 0.6,
            BODY_H,
        )
        said = doc.forecast_sentences or [
            "No forecast for this plan's period yet: it is computed in the background after "
            "sales change."
        ]
        paras = [(short(s, 300), 12, False, None, 0) for s in said[:4]]
        self.paragraphs(slide, paras, LEFT + BODY_W * 0.62, TOP, BODY_W * 0.38, BODY_H)

    def health_slides(self, p: PackPlan):
        doc = p.doc
        groups = [Heading([("Health reasons", 15, True, NAVY, 0)])]
        groups += [
            [
                (
                    f"{r.label}: {round(r.points)}/{r.out_of} — {short(r.detail, 300)}",
                    12,
                    False,
                    None,
                    1,
                )
            ]
            for r in doc.health.reasons
        ]
        groups.append(
            Heading([(f"Overdue actions ({len(doc.overdue_actions)})", 15, True, NAVY, 0)])
        )
        groups += [[(action_in_words(a), 12, False, None, 1)] for a in doc.overdue_actions]
        if not doc.overdue_actions:
            groups.append([("None overdue.", 12, False, GREY, 1)])
        self.bullet_slides(
            f"{doc.account_name}: health {health_in_words(p)}", groups, doc.period_label
        )

    def changes_slides(self, p: PackPlan):
        groups = [Heading([(short(p.since, 200), 15, True, NAVY, 0)])]
        groups += [[(short(c), 12, False, None, 1)] for c in p.changes]
        if not p.changes:
            groups.append([("Nothing to show.", 12, False, GREY, 1)])
        groups.append(Heading([(f"Decisions waiting ({len(p.decisions)})", 15, True, NAVY, 0)]))
        groups += [[(short(ask_in_words(a), 320), 12, False, None, 1)] for a in p.decisions]
        if not p.decisions:
            groups.append([("No decision waiting.", 12, False, GREY, 1)])
        self.bullet_slides(
            f"{p.doc.account_name}: since the last review", groups, p.doc.period_label
        )

    def build(self) -> "ReviewDeck":
        self.title_slide()
        for p in self.doc.plans:
            self.glance_slide(p)
            self.forecast_slide(p)
            self.health_slides(p)
            self.changes_slides(p)
        return self


def render(pack: ReviewPack) -> bytes:
    return ReviewDeck(pack).build().save()


def render_pdf(pack: ReviewPack) -> bytes:
    """The pack as a PDF: the sitting's table of plans, then a part per plan."""
    from django.template.loader import render_to_string

    from keyplan.outputs import pdf, tables

    plans = [
        {
            "pack": p,
            "doc": p.doc,
            "health": health_in_words(p),
            "goal": words.amount(p.plan.revenue_goal),
            "coverage": coverage_in_words(p),
            "glance": pdf.table_context(tables.at_a_glance(p.doc)),
            "headline": coverage_headline(p.doc),
            "bars": pdf.bars(forecast_figures(p)),
            "overdue": [action_in_words(a) for a in p.doc.overdue_actions],
            "decisions": [ask_in_words(a) for a in p.decisions],
        }
        for p in pack.plans
    ]
    html = render_to_string(
        "outputs/review_pack.html",
        {"pack": pack, "plans": plans, "generated_on": words.day(pack.generated_on)},
    )
    return pdf.pdf_of(html)
