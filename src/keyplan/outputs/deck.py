"""The plan as a PowerPoint deck for the leadership team (python-pptx): title, the account
at a glance, goals and aspiration, the customer's goals, the relationship map (a
picture), white space, ideas and pipeline coverage as native, editable charts,
investments asked, objectives → strategies → actions, the commitments of the rest of the
company (when any: the deck carries no comments), risks and asks of leadership.
The slides are made of ``slides``' pieces (continuation slides, the fit rule)."""

import io

from django.conf import settings
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Emu, Inches, Pt

from keyplan.core import words
from keyplan.outputs import mapimage
from keyplan.outputs.content import PlanDocument, ask_in_words, plain
from keyplan.outputs.slides import (
    BODY_H,
    BODY_W,
    GREY,
    LEFT,
    NAVY,
    TOP,
    Heading,
    SlideDeck,
    keep_headings_with_next,
    short,
    text_height,
)


def coverage_headline(doc: PlanDocument) -> str:
    """The pipeline against the revenue goal in one sentence (the 2.5-3x band)."""
    cov = doc.coverage
    g = cov.revenue
    if g is None or g.ratio is None:
        return "No revenue goal: coverage is not measured."
    state = {
        "low": f"below the 2.5-3x band: {words.estimate(g.gap)} more pipeline reaches 2.5x",
        "in-band": "in the 2.5-3x band: the pipeline can reach the goal",
        "above": "above 3x: check the ideas are real",
    }[g.status]
    return (
        f"Pipeline {words.amount(cov.pipeline)} is {words.ratio(g.ratio)} the revenue goal, "
        f"{state}."
    )


def action_in_words(a) -> str:
    return (
        f"{short(a.title, 200)} — {a.owner}, due {words.day(a.due_date)}, "
        f"{words.number(a.effort_hours)} h, {a.get_status_display().lower()}"
    )


class Deck(SlideDeck):
    doc: PlanDocument

    # -- the slides -------------------------------------------------------------------
    def title_slide(self):
        doc = self.doc
        self.title_page(f"{doc.period_label} · owner {doc.owner_name} · {doc.status_label}")

    def glance_slide(self):
        doc = self.doc
        slide = self.slide("At a glance", doc.account_name)
        facts = doc.at_a_glance + [
            type(doc.at_a_glance[0])("Plan health", doc.health.score, f"{doc.health.score}/100")
        ]
        used = self.tiles(slide, facts)
        # The forecast in words, as much of it as the room under the tiles holds.
        self.words_under(
            slide,
            " ".join(doc.forecast_sentences)
            or (
                "No forecast for this plan's period yet: it is computed in the background "
                "after sales change."
            ),
            TOP + used,
        )

    def goals_slide(self):
        doc, plan = self.doc, self.doc.plan
        paras = [
            [(f"Revenue goal: {words.amount(plan.revenue_goal)}", 18, True, NAVY, 0)],
            [(f"Stretch goal: {words.amount(plan.stretch_goal)}", 18, True, NAVY, 0)],
            [
                (
                    f"{plan.aspiration_years}-year aspiration"
                    + (
                        f": {words.amount(plan.aspiration_value)} a year"
                        if plan.aspiration_value
                        else ""
                    ),
                    16,
                    True,
                    None,
                    0,
                ),
                (short(plan.aspiration_statement) or words.EMPTY, 14, False, None, 0),
            ],
            [(f"Team: {words.names(doc.team)}", 14, False, GREY, 0)],
        ]
        if doc.qualitative_goals:
            paras.append([("Qualitative goals", 16, True, None, 0)])
            paras += [[(short(q), 14, False, None, 1)] for q in doc.qualitative_goals]
        self.bullet_slides("Goals and aspiration", paras, doc.account_name)

    def customer_goals_slides(self):
        groups = []
        for g in self.doc.customer_goals:
            group = [(f"{short(g.title, 200)}", 16, True, NAVY, 0)]
            group.append((g.get_level_display(), 11, False, GREY, 0))
            for label, value in (
                ("Story", g.story),
                ("Their aspiration", g.customer_aspiration),
                ("How they measure our value", g.value_measure),
            ):
                if plain(value):
                    group.append((f"{label}: {short(value)}", 12, False, None, 1))
            if g.source_contact_id:
                group.append(
                    (
                        f"Heard from {g.source_contact.name} on {words.day(g.source_date)}",
                        11,
                        False,
                        GREY,
                        1,
                    )
                )
            groups.append(group)
        self.bullet_slides("The customer's goals", groups, self.doc.account_name, "None yet.")

    def map_slide(self):
        doc = self.doc
        slide = self.slide("The relationship map", doc.account_name)
        picture = mapimage.render_png(doc.contacts, doc.account_name)
        if picture is None:
            self.text(slide, "Nobody on the map yet.", LEFT, TOP, BODY_W, 0.5, size=16)
            return
        png, px_w, px_h = picture
        room_w, room_h = BODY_W, BODY_H - 0.75
        # A small map is not blown up: a person's box at most 2.4 inches wide.
        scale = min(room_w / px_w, room_h / px_h, 2.4 / mapimage.BOX_W)
        w, h = px_w * scale, px_h * scale
        slide.shapes.add_picture(
            io.BytesIO(png), Inches(LEFT + (room_w - w) / 2), Inches(TOP), Inches(w), Inches(h)
        )
        more = len(doc.contacts) - mapimage.MOST_PEOPLE
        legend = mapimage.LEGEND + (
            f" {words.plural(more, 'more person', 'more people')} in the workbook."
            if more > 0
            else ""
        )
        self.text(slide, legend, LEFT, TOP + h + 0.1, BODY_W, 0.6, size=11, color=GREY)

    def white_space_slide(self):
        doc = self.doc
        what = (
            "expected value of buying within 12 months (the white-space model)"
            if doc.white_space_predicted
            else "what similar accounts spend on it, at the share of them that buy"
        )
        slide = self.slide(
            "White space", f"Products similar accounts buy and {doc.account_name} does not: {what}"
        )
        if not doc.white_space:
            self.text(
                slide, "No white space found for this account.", LEFT, TOP, BODY_W, 0.5, size=16
            )
            return
        cells = doc.white_space
        self.bar_chart(
            slide,
            [short(f"{c['name']} ({c['line']})", 48) for c in cells],
            [(f"Value ({settings.KEYPLAN_CURRENCY})", [c["value"] for c in cells])],
            LEFT,
            TOP,
            BODY_W,
            BODY_H,
        )

    def ideas_slides(self):
        doc = self.doc
        slide = self.slide(
            "Ideas: annual value", f"{words.plural(len(doc.ideas), 'idea')} in the pipeline and won"
        )
        if doc.ideas:
            shown = doc.ideas[:12]
            self.bar_chart(
                slide,
                [short(f"{i.title} ({i.get_stage_display().lower()})", 55) for i in shown],
                [(f"Annual value ({settings.KEYPLAN_CURRENCY})", [i.annual_value for i in shown])],
                LEFT,
                TOP,
                BODY_W,
                BODY_H,
            )
        else:
            self.text(slide, "No ideas yet.", LEFT, TOP, BODY_W, 0.5, size=16)
        self.table_slides(
            "Ideas",
            ["Idea", "Root cause", "Delivery", "Annual value", "Expected", "Conf.", "Stage"],
            [
                [
                    short(i.title, 160),
                    short(i.root_cause, 200),
                    i.get_delivery_display()
                    + (f": {plain(i.partner_name)}" if i.partner_name else ""),
                    words.amount(i.annual_value),
                    words.day(i.expected_date),
                    f"{i.confidence}%",
                    i.get_stage_display(),
                ]
                for i in doc.ideas
            ],
            [3.0, 3.2, 1.8, 1.5, 1.3, 0.7, 1.4],
            doc.account_name,
            numeric=(3, 5),
        )

    def coverage_slide(self):
        doc = self.doc
        cov = doc.coverage
        headline = coverage_headline(doc)
        slide = self.slide("Pipeline coverage", headline)
        goal = doc.plan.revenue_goal or 0
        categories, values = ["Pipeline"], [cov.pipeline]
        if goal:
            categories += ["Revenue goal", "2.5x the goal", "3x the goal"]
            values += [goal, goal * 5 / 2, goal * 3]
        if doc.plan.stretch_goal:
            categories.append("Stretch goal")
            values.append(doc.plan.stretch_goal)
        self.bar_chart(
            slide,
            categories,
            [(f"Amount ({settings.KEYPLAN_CURRENCY})", values)],
            LEFT,
            TOP,
            BODY_W * 0.58,
            BODY_H,
        )
        data = CategoryChartData()
        data.categories = [
            "Open opportunities",
            "Ideas: by us",
            "Ideas: jointly",
            "Ideas: partners",
        ]
        # Pipeline by where it comes from: the opportunities, and each delivery's open ideas.
        ideas_by = self._ideas_by_delivery()
        data.add_series(
            "Pipeline",
            [float(cov.opportunities)]
            + [float(ideas_by.get(k, 0)) for k in ("direct", "joint", "partner")],
            number_format="#,##0",
        )
        chart = slide.shapes.add_chart(
            XL_CHART_TYPE.DOUGHNUT,
            Inches(LEFT + BODY_W * 0.6),
            Inches(TOP),
            Inches(BODY_W * 0.4),
            Inches(BODY_H),
            data,
        ).chart
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = Pt(11)
        chart.has_title = True
        chart.chart_title.text_frame.text = "Where the pipeline comes from"
        chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(13)
        plot = chart.plots[0]
        plot.has_data_labels = True
        plot.data_labels.number_format, plot.data_labels.number_format_is_linked = "#,##0", False
        plot.data_labels.font.size = Pt(10)

    def _ideas_by_delivery(self) -> dict:
        from keyplan.plans.choices import IDEA_PIPELINE_STAGES

        out: dict = {}
        for i in self.doc.ideas:
            if i.stage in IDEA_PIPELINE_STAGES:
                out[i.delivery] = out.get(i.delivery, 0) + i.annual_value
        return out

    def investments_slides(self):
        doc = self.doc
        self.table_slides(
            "Investments asked",
            ["Investment", "Cost", "Our cost", "Expected return", "Payback", "Status", "Risks"],
            [
                [
                    short(c.title, 160),
                    words.amount(c.cost)
                    + (
                        f" (customer {words.percent(c.customer_share)})" if c.customer_share else ""
                    ),
                    words.amount(c.our_cost.quantize(1)),
                    words.amount(c.expected_return),
                    f"{c.payback_months} months" if c.payback_months else words.EMPTY,
                    c.get_status_display(),
                    short(c.risks, 220) or words.EMPTY,
                ]
                for c in doc.investments
            ],
            [3.0, 1.8, 1.3, 1.5, 1.0, 1.3, 3.2],
            doc.account_name,
            numeric=(1, 2, 3),
        )

    def execution_slides(self):
        doc = self.doc
        groups = []
        for p in doc.objectives:
            o = p.objective
            now = words.number(p.current) if p.current is not None else words.EMPTY
            groups.append(
                Heading(
                    [
                        (f"{o.get_category_display()}: {short(o.title, 200)}", 15, True, NAVY, 0),
                        (
                            f"{plain(o.metric)}: from {words.number(o.baseline)} to "
                            f"{words.number(o.target)} by {words.day(o.due_date)} · now {now}"
                            + (f" ({p.percent}%)" if p.percent is not None else "")
                            + f" · {'on track' if p.on_track else 'behind'}"
                            + f" · owner {o.owner or words.EMPTY}",
                            11,
                            False,
                            GREY,
                            0,
                        ),
                    ]
                )
            )
            for s in p.strategy_list:
                head = [(f"Strategy: {short(s.description, 300)}", 12, True, None, 1)]
                groups.append(Heading(head) if s.action_list else head)
                for a in s.action_list:
                    groups.append([(self._action(a), 11, False, None, 2)])
        if doc.loose_actions:
            groups.append(Heading([("Actions not tied to a strategy", 15, True, NAVY, 0)]))
            groups += [[(self._action(a), 11, False, None, 1)] for a in doc.loose_actions]
        if doc.milestones:
            groups.append(Heading([("Milestones", 15, True, NAVY, 0)]))
            groups += [
                [
                    (
                        f"{'✓ ' if m.reached else ''}{words.day(m.date)} — {short(m.title, 200)}",
                        11,
                        False,
                        None,
                        1,
                    )
                ]
                for m in doc.milestones
            ]
        self.bullet_slides(
            "Objectives, strategies and actions", groups, doc.account_name, "No objectives yet."
        )

    _action = staticmethod(action_in_words)

    def commitments_slide(self):
        """What delivery, manufacturing and finance committed to (and what is asked of
        them and not committed yet), when there is any; the deck carries no comments."""
        doc = self.doc
        if not doc.commitments:
            return
        self.table_slides(
            "Commitments from the company",
            ["From", "Committed scope", "Holds", "Status"],
            [[c.function, short(c.scope or c.what, 260), c.holds, c.who] for c in doc.commitments],
            [1.4, 5.0, 2.4, 3.8],
            doc.account_name,
        )

    def risks_slides(self):
        doc = self.doc
        groups = [Heading([("Risks", 16, True, NAVY, 0)])]
        groups += [[(f"{r.label}: {short(r.text)}", 12, False, None, 1)] for r in doc.risks]
        if not doc.risks:
            groups.append([("None recorded.", 12, False, GREY, 1)])
        groups.append(Heading([("Asks of leadership", 16, True, NAVY, 0)]))
        for a in doc.asks:
            groups.append([(short(ask_in_words(a), 320), 12, False, None, 1)])
        if not doc.asks:
            groups.append([("Nothing asked.", 12, False, GREY, 1)])
        self.bullet_slides("Risks and asks of leadership", groups, doc.account_name)

    def build(self) -> "Deck":
        self.title_slide()
        self.glance_slide()
        self.goals_slide()
        self.customer_goals_slides()
        self.map_slide()
        self.white_space_slide()
        self.ideas_slides()
        self.coverage_slide()
        self.investments_slides()
        self.execution_slides()
        self.commitments_slide()
        self.risks_slides()
        return self


def render(doc: PlanDocument) -> bytes:
    return Deck(doc).build().save()


__all__ = ["Deck", "Emu", "Heading", "keep_headings_with_next", "render", "text_height"]
