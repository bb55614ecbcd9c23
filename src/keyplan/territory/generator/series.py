"""The time-series shape of an account's purchases of one product line: its season, its
trend and whether it is bought every month or now and then.

A forecast is only worth checking on data with a known structure, so the structure is
written down here, per product line (a line's season and drift are the same for every
account; the trend and the buying rhythm vary per account around them):

* **Season** — software sold on yearly budgets peaks in Q4 (Analytics, Data Platform,
  Integration); Security renews around mid-year and at year end; Cloud Infrastructure is
  usage, nearly flat; Professional Services follows projects started in spring and
  autumn; Training is bought in January–February and September.
* **Trend** — each account's own growth (drawn by ``SalesMaker``) plus the line's drift
  (cloud grows, training declines) plus a little of the account's own on each line.
* **Rhythm** — Professional Services and Training are *intermittent*: an account buys
  them in a month with a small chance, a bigger order when it does (lumpy); small
  accounts buy some other lines now and then too. The rest is bought most months.

Every draw here comes from a generator seeded by (seed, account, line) — not from the
territory's one random stream — so the shape of one account's line never shifts the
rest of the territory, and the same seed gives the same series.
"""

import random
from dataclasses import dataclass

# Jan..Dec, mean 1 for each line.
_Q4 = STREAM_SEASON = (0.8, 0.85, 1.0, 0.9, 0.95, 1.05, 0.85, 0.8, 1.05, 1.1, 1.2, 1.45)
LINE_SEASON: dict[str, tuple[float, ...]] = {
    "Analytics": _Q4,
    "Data Platform": (0.75, 0.8, 1.0, 0.85, 0.9, 1.2, 0.8, 0.75, 1.05, 1.1, 1.2, 1.6),
    "Security": (0.85, 0.85, 0.95, 0.9, 1.0, 1.35, 0.9, 0.8, 0.95, 1.0, 1.05, 1.4),
    "Cloud Infrastructure": (0.95, 0.95, 1.0, 0.97, 0.98, 1.0, 0.98, 0.97, 1.0, 1.02, 1.05, 1.13),
    "Integration": _Q4,
    "Professional Services": (0.7, 0.8, 1.5, 1.1, 0.9, 0.8, 0.5, 0.6, 1.4, 1.5, 1.2, 1.0),
    "Training": (1.7, 1.5, 1.0, 0.8, 0.7, 0.6, 0.5, 0.6, 1.6, 1.2, 0.9, 0.9),
}
# Yearly growth added to the account's own trend, per line.
LINE_DRIFT = {
    "Cloud Infrastructure": 0.15,
    "Data Platform": 0.05,
    "Security": 0.05,
    "Integration": -0.05,
    "Professional Services": -0.05,
    "Training": -0.1,
}
# Lines bought now and then by everyone: chance of buying in a month.
INTERMITTENT = {"Professional Services": (0.12, 0.4), "Training": (0.1, 0.35)}
SMALL_ACCOUNT = 1.0  # weight below which an account buys some lines now and then


@dataclass(frozen=True)
class LineSeries:
    """How one account buys one product line, month by month."""

    season: tuple[float, ...]
    trend: float  # yearly growth
    chance: float  # of buying in a month (1: every month it would buy)

    def level(self, m: int, months: int, month_of_year: int) -> float:
        """What a month ``m`` of ``months`` (0-based) weighs against the line's average
        month of the last year: its season × the trend; an intermittent line's month
        carries the orders of the months it skips (the year's spend stays the same)."""
        growth = (1 + self.trend) ** ((m - months) / 12)
        return self.season[month_of_year - 1] * growth / self.chance

    def bought(self, rng: random.Random) -> bool:
        return self.chance >= 1 or rng.random() < self.chance


def line_series(seed: int, account_n: int, line: str, account_trend: float, weight: float):
    """(shape, its own random stream) of account ``account_n``'s purchases of ``line``."""
    rng = random.Random(f"{seed}:{account_n}:{line}")
    season = LINE_SEASON.get(line, _Q4)
    trend = max(-0.5, account_trend + LINE_DRIFT.get(line, 0.0) + rng.uniform(-0.08, 0.08))
    if line in INTERMITTENT:
        chance = rng.uniform(*INTERMITTENT[line])
    elif weight < SMALL_ACCOUNT and rng.random() < 0.3:
        chance = rng.uniform(0.25, 0.6)
    else:
        chance = 1.0
    return LineSeries(season, trend, chance), rng
