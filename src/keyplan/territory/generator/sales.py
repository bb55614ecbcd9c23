"""The product catalogue, what each account buys, its pipeline and its sales history.

An account buys a correlated subset of product lines (an anchor line, then lines bought
together with it by affinity), so white space means something; some accounts are
prospects that buy nothing yet. Every price an account pays is the list price less its
discount (bigger accounts negotiate more), so a sale line's amount is quantity × list
price × discount. Sales run monthly over the history with each product line's season
(mostly a Q4 peak), a growth or decline trend per account and line, some lines bought only
now and then (``series.py``), and products adopted or dropped along the way. Opportunities are in
every stage; closed ones close inside the history, open ones after it. Won deals are not
repeated as sale lines: the sales roll-up counts a won deal without sale lines by itself,
so a territory loaded from the CSV files (which have no column linking the two) counts
every deal once, like the one written to the database.
"""

import datetime
import math
import random
from decimal import Decimal

from keyplan.sales.choices import STAGE_PROBABILITY, STAGE_STATUS, Stage
from keyplan.territory.generator.records import (
    AccountRec,
    OpportunityRec,
    ProductRec,
    SaleRec,
    Spec,
)
from keyplan.territory.generator.series import STREAM_SEASON, line_series
from keyplan.territory.generator.stages import stage_history
from keyplan.territory.generator.vocabulary import CATALOGUE

CENT = Decimal("0.01")
BASE_SPEND = 20_000  # yearly spend of a weight-1 account
STAGES = list(Stage)
STAGE_WEIGHTS = (14, 12, 10, 8, 22, 34)  # Prospecting .. Closed Lost: ~40% won
_LINES = list(CATALOGUE)
_ANCHOR_WEIGHTS = [CATALOGUE[line][1] for line in _LINES]


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return datetime.date(day.year + month // 12, month % 12 + 1, 1)


class SalesMaker:
    def __init__(self, r: random.Random, spec: Spec):
        self.r = r
        self.seed = spec.seed
        self.months = spec.months
        self.adoption = spec.adoption
        self.first_month = add_months(spec.end, -(spec.months - 1))
        self.last_day = add_months(spec.end, 1) - datetime.timedelta(days=1)
        self.products: list[ProductRec] = []
        self.line_products: dict[str, list[ProductRec]] = {}
        for line, (core, _anchor, _affinity, items) in CATALOGUE.items():
            for name, price, recurring in items:
                price = Decimal(price).quantize(CENT)
                rec = ProductRec(len(self.products) + 1, line, core, name, price, recurring)
                self.products.append(rec)
                self.line_products.setdefault(line, []).append(rec)
        self.opportunity_n = 0
        self.sale_n = 0

    # -- what an account buys, at what price -------------------------------------------
    def lines_bought(self, account: AccountRec, weight: float) -> list[str]:
        """Product lines the account buys: an anchor, then lines bought with it."""
        r = self.r
        if account.kind == "budget_centre" and r.random() < 0.5:
            return []  # bought through its division
        if account.depth == 0 and weight < 1.5 and r.random() < 0.15:
            return []  # a prospect: nothing bought yet
        bought = [r.choices(_LINES, weights=_ANCHOR_WEIGHTS)[0]]
        # Big accounts buy more widely; every account mostly along the affinities.
        breadth = min(1.0, 0.55 + math.log1p(weight) / 5)
        for line in _LINES:
            if line in bought:
                continue
            p = max(CATALOGUE[b][2].get(line, 0.0) for b in bought) * breadth
            if r.random() < p or r.random() < 0.03 * breadth:
                bought.append(line)
        return bought

    def terms(self, weight: float) -> tuple[float, float]:
        """(yearly spend, discount factor): bigger accounts spend more and pay less."""
        r = self.r
        spend = weight * BASE_SPEND * r.uniform(0.6, 1.4)
        discount = 0.03 + 0.045 * math.log1p(weight) + r.uniform(-0.03, 0.03)
        return spend, 1 - min(0.35, max(0.0, discount))

    def _unit_price(self, product: ProductRec, factor: float) -> Decimal:
        net = product.list_price * Decimal(factor - self.r.uniform(0.0, 0.03))
        return max(CENT, net.quantize(CENT))

    # -- pipeline ----------------------------------------------------------------------
    def opportunities(
        self, account: AccountRec, weight: float, bought: list[str], spend: float, factor: float
    ) -> list[OpportunityRec]:
        r = self.r
        records = []
        for _ in range(min(12, int(math.log1p(weight) * 2.2) + r.choice((0, 0, 1, 1, 2)))):
            self.opportunity_n += 1
            stage = r.choices(STAGES, weights=STAGE_WEIGHTS)[0]
            if bought and r.random() < 0.55:
                line, motion = r.choice(bought), "expansion"
            else:
                line, motion = self._cross_sell_line(bought), "new business"
            product = r.choice(self.line_products[line])
            term = 12 if product.recurring else 1  # a yearly contract, or a one-off
            unit = self._unit_price(product, factor)
            quantity = max(1, round(spend * r.uniform(0.04, 0.3) / float(unit * term)))
            if STAGE_STATUS[stage] == "open":
                created = self.last_day - datetime.timedelta(days=r.randint(5, 200))
                close = self.last_day + datetime.timedelta(days=r.randint(5, 270))
            else:
                close = self.last_day - datetime.timedelta(days=r.randint(0, 700))
                created = close - datetime.timedelta(days=r.randint(20, 240))
            records.append(
                OpportunityRec(
                    n=self.opportunity_n,
                    account=account.n,
                    product=product.n,
                    name=f"{account.name} — {product.name} ({motion})",
                    stage=stage.value,
                    status=STAGE_STATUS[stage].value,
                    amount=unit * quantity * term,
                    probability=STAGE_PROBABILITY[stage],
                    created_date=created,
                    close_date=close,
                    owner=account.owner,
                    history=stage_history(
                        self.seed,
                        self.opportunity_n,
                        stage.value,
                        created,
                        min(close, self.last_day),
                    ),
                )
            )
        return records

    def _cross_sell_line(self, bought: list[str]) -> str:
        """A line not bought yet, likelier when it goes with what is bought."""
        if not bought:
            return self.r.choices(_LINES, weights=_ANCHOR_WEIGHTS)[0]
        options = [line for line in _LINES if line not in bought] or _LINES
        weights = [0.15 + max(CATALOGUE[b][2].get(line, 0.0) for b in bought) for line in options]
        return self.r.choices(options, weights=weights)[0]

    # -- sales history -----------------------------------------------------------------
    def sale_lines(
        self, account: AccountRec, weight: float, bought: list[str], spend: float, factor: float
    ) -> list[SaleRec]:
        r = self.r
        if not bought:
            return []
        products = [p for line in bought for p in self.line_products[line] if r.random() < 0.62]
        products = products or [self.line_products[bought[0]][0]]
        frequency = min(1.0, 0.75 + math.log1p(weight) / 4)
        trend = r.uniform(-0.12, 0.3)
        months = self.months
        plans = []
        for product in products:
            unit = self._unit_price(product, factor)
            # Adopted later; with the adoption structure, up to the last month (so adoption
            # does not dry up at the end of the history and fool a back-test).
            latest = months - 1 if self.adoption else months - 6
            start = 0 if r.random() < 0.8 else r.randint(1, latest)  # adopted later
            stop = months if r.random() < 0.9 else r.randint(min(start + 6, months), months)
            plans.append((product.n, unit, float(unit), r.random() + 0.2, start, stop))
        total_share = sum(p[3] for p in plans)
        monthly = spend / (12 * frequency * total_share)
        line_of = {p.n: p.line for p in products}
        shapes = {
            line: line_series(self.seed, account.n, line, trend, weight)
            for line in dict.fromkeys(line_of.values())
        }
        lines: list[SaleRec] = []
        for m in range(months):
            month = add_months(self.first_month, m)
            # The territory's one random stream is drawn exactly as before the lines had
            # their own shapes (season, trend, rhythm from ``series.py`` and each line's
            # own stream), so the accounts, teams and example plans that follow are the
            # same territory as before.
            stream_level = (
                monthly * STREAM_SEASON[month.month - 1] * (1 + trend) ** ((m - months) / 12)
            )
            levels = {
                line: shape.level(m, months, month.month) if shape.bought(rng) else 0.0
                for line, (shape, rng) in shapes.items()
            }
            for product_n, unit, unit_float, share, start, stop in plans:
                if not start <= m < stop or r.random() > frequency:
                    continue
                noise = r.uniform(0.6, 1.4)
                stream_units = stream_level * share * noise / unit_float
                stream_day = None
                if stream_units >= 1 or r.random() < stream_units:
                    stream_day = r.randint(0, 27)
                line = line_of[product_n]
                own = shapes[line][1]
                units = monthly * levels[line] * share * noise / unit_float
                if units >= 1:
                    quantity = round(units)
                elif units > 0 and own.random() < units:
                    quantity = 1  # dear items are bought now and then, not monthly
                else:
                    continue
                day = stream_day if stream_day is not None else own.randint(0, 27)
                self.sale_n += 1
                lines.append(
                    SaleRec(
                        n=self.sale_n,
                        account=account.n,
                        product=product_n,
                        date=month + datetime.timedelta(days=day),
                        amount=unit * quantity,
                        quantity=quantity,
                    )
                )
        return lines
