"""A known buying structure for white space to learn (``keyplan generate --adoption``).

On top of the lines each account buys from the start (``sales.py``), an account may start
buying a product line it does not buy yet, month by month, with a chance that depends on:

* co-purchase: lines bought together with what it buys (the catalogue's affinities) are
  adopted far more often;
* firmographics: each industry favours some lines and shuns others, and bigger accounts
  adopt more;
* season: adoption is twice as likely in November to January (budgets are spent and set);
* noise: a small chance for any line.

An adopted line may lapse (stop for a while) and come back: a lapsed buyer is likelier to
buy again than a stranger. Everything comes from the territory's one random stream, so
the same seed gives the same territory; without ``--adoption`` nothing here runs and the
demo territory is unchanged.
"""

import datetime
import math
import zlib

from keyplan.territory.generator.records import AccountRec, SaleRec
from keyplan.territory.generator.vocabulary import CATALOGUE

BASE = 0.002  # a month's chance of adopting any line, whatever the account
CO_PURCHASE = 0.02  # scaled by the best affinity with a line the account buys
ADOPTION_SEASON = {11: 2.0, 12: 2.0, 1: 2.0}  # other months: 1
INDUSTRY_TASTE = (0.4, 1.0, 2.5)  # shuns, neutral, favours
LAPSE = 0.3  # share of adopted lines that stop for a while
RETURN = 0.12  # a month's chance a lapsed line comes back


def industry_taste(industry: str, line: str) -> float:
    """How much an industry favours a line: fixed per pair (not random per run)."""
    return INDUSTRY_TASTE[zlib.crc32(f"{industry}|{line}".encode()) % 3]


def adopted_sales(maker, account: AccountRec, weight: float, bought: list[str], spend, factor):
    """Sale lines of the product lines ``account`` adopts during the history."""
    r = maker.r
    if not bought:
        return []  # a prospect or a budget centre buying through its division
    size = min(2.0, 0.6 + math.log1p(weight) / 3)
    lines: list[SaleRec] = []
    for line in CATALOGUE:
        if line in bought:
            continue
        affinity = max(CATALOGUE[b][2].get(line, 0.0) for b in bought)
        rate = CO_PURCHASE * (affinity + 0.05) * industry_taste(account.industry, line) * size
        start = None
        for m in range(maker.months):
            month = _month(maker, m)
            if r.random() < BASE + rate * ADOPTION_SEASON.get(month.month, 1.0):
                start = m
                break
        if start is None:
            continue
        lines += _buy_line(maker, account, line, start, spend, factor)
    return lines


def _month(maker, m: int) -> datetime.date:
    from keyplan.territory.generator.sales import add_months

    return add_months(maker.first_month, m)


def _buy_line(maker, account, line, start, spend, factor) -> list[SaleRec]:
    r = maker.r
    products = maker.line_products[line]
    chosen = r.sample(products, min(len(products), r.choice((1, 1, 2))))
    share = r.uniform(0.08, 0.25)
    stop = resume = None
    if r.random() < LAPSE:
        stop = start + r.randint(3, 12)
    records = []
    m = start
    while m < maker.months:
        if stop is not None and m >= stop and (resume is None or m < resume):
            if resume is None:
                resume = m
                while resume < maker.months and r.random() > RETURN:
                    resume += 1
            if m < resume:
                m = resume
                continue
        month = _month(maker, m)
        for product in chosen:
            if r.random() > 0.8:
                continue
            unit = maker._unit_price(product, factor)
            level = spend / 12 * share / len(chosen)
            quantity = max(1, round(level / float(unit))) if level >= float(unit) else 1
            if level < float(unit) and r.random() > level / float(unit):
                continue  # a dear item bought now and then
            maker.sale_n += 1
            records.append(
                SaleRec(
                    n=maker.sale_n,
                    account=account.n,
                    product=product.n,
                    date=month + datetime.timedelta(days=r.randint(0, 27)),
                    amount=unit * quantity,
                    quantity=quantity,
                )
            )
        m += 1
    return records
