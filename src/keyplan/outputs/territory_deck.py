"""The territory plan as a deck for the manager and the leadership team, in Conti's
order: title, the territory at a glance (quota, objectives against it, the opportunity
headline), the objectives by tier against the quota and the facts as native charts, the
opportunity by product, the facts (tiers, then the best accounts with the revenue one
might expect, on continuation slides), strategies with the people's hours, activities,
objectives with the realism check's findings, goals. Built of ``slides``' pieces."""

from decimal import Decimal

from django.conf import settings

from keyplan.core import words
from keyplan.outputs.content import plain
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
from keyplan.outputs.territory_content import (
    ACCOUNTS_ON_SLIDES,
    CHECK_LABELS,
    TerritoryDocument,
    accounts_table,
    activities_table,
    aims_in_words,
    objectives_table,
    resources_in_words,
    tiers_table,
)


def whole(t):
    """The facts' amounts to the whole unit on the slides (they are expectations: cents
    would only widen the columns); the workbook keeps them to the cent."""
    t.rows = [
        [v.quantize(Decimal(1)) if isinstance(v, Decimal) else v for v in row] for row in t.rows
    ]
    return t


class TerritoryDeck(SlideDeck):
    doc: TerritoryDocument

    def title_slide(self):
        doc = self.doc
        quota = words.amount(doc.quota) if doc.quota is not None else "no quota set"
        self.title_page(f"{doc.period_label} · {doc.status_label} · quota {quota}")

    def glance_slide(self):
        doc = self.doc
        slide = self.slide("The territory at a glance", doc.facts.headline)
        used = self.tiles(slide, doc.at_a_glance)
        said = [doc.need.sentence] if doc.need is not None else []
        said += [n for n in (doc.facts.forecast_note, doc.facts.white_space_note) if n]
        self.words_under(slide, " ".join(said) or "No pipeline math yet.", TOP + used)

    def objectives_chart_slide(self):
        """Per tier, the revenue objective beside the revenue the facts expect; beside it
        the objectives' total against the quota, the 1.2x the method asks and the
        opportunity."""
        from keyplan.salesplan.realism import over_quota

        doc = self.doc
        currency = settings.KEYPLAN_CURRENCY
        check = doc.realism.get("quota")
        slide = self.slide(
            "Objectives by tier against the quota", check.sentence if check else doc.rep_name
        )
        tiers = [t for t in doc.facts.tiers if t.tier]
        if tiers:
            self.bar_chart(
                slide,
                [t.label for t in tiers],
                [
                    (
                        f"Revenue objective ({currency})",
                        [doc.tier_objective(t.tier) for t in tiers],
                    ),
                    (f"Expected from the facts ({currency})", [t.expected for t in tiers]),
                ],
                LEFT,
                TOP,
                BODY_W * 0.55,
                BODY_H,
                horizontal=False,
                title="By tier",
            )
        else:
            self.text(slide, "No tiered accounts.", LEFT, TOP, BODY_W * 0.55, 0.5, size=16)
        quota = doc.quota or 0
        categories = ["Revenue objectives", "Quota", f"{words.ratio(over_quota())} the quota"]
        values = [doc.revenue, quota, quota * over_quota()]
        categories.append("Opportunity")
        values.append(doc.facts.expected)
        self.bar_chart(
            slide,
            categories,
            [(f"Amount ({currency})", values)],
            LEFT + BODY_W * 0.57,
            TOP,
            BODY_W * 0.43,
            BODY_H,
            title="The total",
        )

    def products_slide(self):
        doc = self.doc
        products = doc.facts.products
        slide = self.slide(
            "Opportunity by product",
            "White space expected over the rep's accounts and open pipeline closing in the year",
        )
        if not products:
            self.text(slide, "No opportunity found by product.", LEFT, TOP, BODY_W, 0.5, size=16)
            return
        currency = settings.KEYPLAN_CURRENCY
        self.bar_chart(
            slide,
            [short(f"{p.name} ({p.line})" if p.line else p.name, 48) for p in products],
            [
                (f"White space ({currency})", [p.white_space for p in products]),
                (f"Open pipeline ({currency})", [p.pipeline for p in products]),
            ],
            LEFT,
            TOP,
            BODY_W,
            BODY_H,
            stacked=True,
        )

    def facts_slides(self):
        doc = self.doc
        self.typed_table_slides(
            whole(tiers_table(doc)), "A accounts are worked proactively; B and C reactively"
        )
        more = len(doc.accounts) - ACCOUNTS_ON_SLIDES
        hidden = doc.facts.accounts - len(doc.accounts)
        rest = more + hidden
        self.typed_table_slides(
            whole(accounts_table(doc, ACCOUNTS_ON_SLIDES)),
            "By the revenue one might expect (forecast + white space)"
            + (f"; {words.plural(rest, 'more account')} in the workbook" if rest > 0 else ""),
            size=10,
            title="The accounts",
        )

    def strategies_slides(self):
        groups = []
        for s in self.doc.strategies:
            head = [
                (short(s.title, 200), 15, True, NAVY, 0),
                (
                    f"{words.day(s.first_month)} to {words.day(s.last_month)}"
                    + (f" · leverages {', '.join(s.leverage_labels)}" if s.leverage_labels else "")
                    + (f" · aims at {short(aims_in_words(s), 200)}" if aims_in_words(s) else ""),
                    11,
                    False,
                    GREY,
                    0,
                ),
            ]
            body = []
            if plain(s.description):
                body.append((short(s.description), 12, False, None, 1))
            body.append(
                (
                    "People: " + (short(resources_in_words(s), 300) or "nobody named yet"),
                    12,
                    False,
                    None,
                    1,
                )
            )
            groups += [Heading(head), body]
        self.bullet_slides(
            "Strategies and the people they need", groups, self.doc.rep_name, "No strategy yet."
        )

    def objectives_slides(self):
        doc = self.doc
        self.typed_table_slides(objectives_table(doc), doc.rep_name)
        groups = []
        for c in doc.realism.checks:
            mark = "✓" if c.ok else "✗"
            groups.append(
                [
                    (
                        f"{mark} {CHECK_LABELS.get(c.name, c.name)}: {short(c.sentence)}",
                        13,
                        not c.ok,
                        None if c.ok else NAVY,
                        0,
                    )
                ]
            )
        headline = (
            "Every check holds."
            if doc.realism.ok
            else f"{words.plural(len(doc.realism.shortfalls), 'shortfall')} to answer."
        )
        self.bullet_slides("Realism check", groups, headline)

    def goals_slides(self):
        self.bullet_slides(
            "Goals",
            [[(short(g), 16, False, None, 0)] for g in self.doc.goals],
            "Qualitative goals for the year",
            "No goal yet.",
        )

    def build(self) -> "TerritoryDeck":
        self.title_slide()
        self.glance_slide()
        self.objectives_chart_slide()
        self.products_slide()
        self.facts_slides()
        self.strategies_slides()
        self.typed_table_slides(activities_table(self.doc), self.doc.rep_name)
        self.objectives_slides()
        self.goals_slides()
        return self


def render(doc: TerritoryDocument) -> bytes:
    return TerritoryDeck(doc).build().save()
