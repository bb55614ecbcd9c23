"""Quarter against quarter: how share of wallet moved between two recorded wallet runs
(`keyplan analyze wallet` stores every account's revenue, potential and share).

Figures are over the accounts the user may see, computed from the snapshots in the
database (aggregates, one pass over the pairs of shares, and the forty movers read by id),
so a rep compares their own accounts and sales ops the territory.
"""

import heapq
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum

from keyplan.accounts.models import Account
from keyplan.territory.analysis.facts import raw_rows
from keyplan.territory.analysis.params import ParameterError

MOVERS = 20


@dataclass
class RunTotals:
    run: object
    accounts: int
    revenue: Decimal
    potential: Decimal

    @property
    def share(self) -> float | None:
        return float(self.revenue / self.potential) if self.potential else None


@dataclass
class WalletComparison:
    before: RunTotals
    after: RunTotals
    compared: int  # accounts with a share in both runs
    gained: list  # snapshots of the later run, annotated with ``before`` and ``change``
    lost: list


def wallet_runs():
    from keyplan.territory.models import AnalysisRun

    return AnalysisRun.objects.filter(kind="wallet").select_related("created_by")


def _totals(run, visible) -> RunTotals:
    figures = run.wallets.filter(account__in=visible).aggregate(
        n=Count("pk"),
        revenue=Sum("revenue", filter=Q(potential__isnull=False)),
        potential=Sum("potential"),
    )
    return RunTotals(
        run, figures["n"], figures["revenue"] or Decimal(0), figures["potential"] or Decimal(0)
    )


def compare_wallets_cached(*, user, before_id, after_id) -> WalletComparison:
    """``compare_wallets``, kept: recorded runs never change (~0.6 s at 100,000 accounts
    for someone who sees them all, then read from the cache)."""
    from keyplan.territory.analysis.cache import cached

    return cached(
        "wallet-compare",
        user,
        {"before": before_id, "after": after_id},
        lambda: compare_wallets(user=user, before_id=before_id, after_id=after_id),
    )


def compare_wallets(*, user, before_id, after_id) -> WalletComparison:
    """Share of wallet in run ``before_id`` against run ``after_id``, over what ``user``
    sees. Raises ParameterError naming the run that is not a wallet run."""
    from keyplan.territory.models import WalletSnapshot

    runs = {r.pk: r for r in wallet_runs().filter(pk__in=[before_id, after_id])}
    for label, pk in (("first", before_id), ("second", after_id)):
        if pk not in runs:
            raise ParameterError(f"The {label} run (#{pk}) is not a recorded wallet run.")
    visible = Account.objects.visible_to(user)
    earlier = WalletSnapshot.objects.filter(run_id=before_id, account=OuterRef("account"))
    pairs = (
        WalletSnapshot.objects.filter(run_id=after_id, account__in=visible, share__isnull=False)
        .annotate(before=Subquery(earlier.values("share")[:1]))
        .filter(before__isnull=False)
        .order_by()
        .values_list("pk", "share", "before")
    )
    # One pass over the pairs (100,000 at most a run); the movers are then 40 rows.
    changes = [(after - before, pk) for pk, after, before in raw_rows(pairs)]
    gained = heapq.nlargest(MOVERS, (c for c in changes if c[0] > 0))
    lost = heapq.nsmallest(MOVERS, (c for c in changes if c[0] < 0))
    rows = {
        s.pk: s
        for s in WalletSnapshot.objects.filter(pk__in=[pk for _c, pk in gained + lost])
        .annotate(before=Subquery(earlier.values("share")[:1]))
        .select_related("account__owner")
    }

    def movers(found):
        result = [rows[pk] for _c, pk in found]
        for row in result:
            row.change = row.share - row.before
        return sorted(result, key=lambda r: (-abs(r.change), r.account.name))

    return WalletComparison(
        before=_totals(runs[before_id], visible),
        after=_totals(runs[after_id], visible),
        compared=len(changes),
        gained=movers(gained),
        lost=movers(lost),
    )


PERCENT_KEYS = {"share", "top20_share", "core_coverage", "core_engagement", "other_coverage"}


# What each recorded analysis is called on the page (AnalysisRun.kind is a code).
KIND_WORDS = {
    "pareto": "Core accounts (Pareto)",
    "tiers": "Tiers",
    "whitespace": "White space",
    "audience": "Audience",
    "wallet": "Share of wallet",
    "whitespace_model": "White-space model learned",
}

# Parameter names and values in words; a date window's ends are shown as "window".
PARAMETER_WORDS = {"basis": "counting", "by": "per", "threshold": "core share"}
VALUE_WORDS = {
    "with_revenue": "accounts with revenue",
    "all": "all accounts",
    "line": "product line",
    "probability": "probability",
    "value": "expected value",
}


def kind_words(kind: str) -> str:
    return KIND_WORDS.get(kind, kind.replace("_", " "))


def parameter_words(parameters: dict) -> str:
    """A run's parameters as a person reads them: "scope territory, window 2025-11 to
    2026-10, counting accounts with revenue" — no option codes."""
    parts = []
    for key, value in parameters.items():
        if key in ("from", "to") or value in (None, "", False):
            continue
        if value is True:
            parts.append(key.replace("_", " "))
            continue
        name = PARAMETER_WORDS.get(key, key.replace("_", " "))
        if key == "threshold" and isinstance(value, float):
            shown = f"{value:.0%}"
        elif key == "horizon":
            shown = f"{value} months"
        else:
            shown = VALUE_WORDS.get(value, str(value).replace("_", " "))
        parts.append(f"{name} {shown}")
    return ", ".join(parts)


def headline(summary: dict) -> str:
    """A run's headline figures as a person reads them: shares as percentages, money
    rounded with thousands separators, counts spelled out."""
    if isinstance(summary.get("backtest"), dict):
        return _model_headline(summary)
    parts = []
    for key, value in summary.items():
        if isinstance(value, list) or value in ("", None):
            continue
        parts.append(f"{key.replace('_', ' ')} {_figure(key, value)}")
    return "; ".join(parts)


RANKINGS = (
    ("model", "model"),
    ("model_by_value", "model by value"),
    ("popularity", "popularity"),
    ("peer_share", "peer share"),
)


def _model_headline(summary: dict) -> str:
    """A learned white-space model: what it learned from, what it expects, and how well
    each ranking found, in the back-test, what accounts then bought (precision at 3)."""
    parts = []
    if summary.get("predicted_from"):
        parts.append(f"predicted from {summary['predicted_from']}")
    if "training_cells" in summary:
        parts.append(
            f"learned from {_figure('', summary['training_cells'])} account–product pairs, "
            f"{_figure('', summary.get('training_bought', 0))} bought"
        )
    for key in ("expected_purchases", "expected_value"):
        if key in summary:
            parts.append(f"{key.replace('_', ' ')} {_figure(key, summary[key])}")
    test = summary["backtest"]
    if test.get("message"):
        parts.append(f"back-test: {test['message']}")
    elif test.get("tested"):
        tested = test["tested"]
        found = [
            f"{words} {test[key]['precision_at_3']:.1%}"
            for key, words in RANKINGS
            if isinstance(test.get(key), dict) and "precision_at_3" in test[key]
        ]
        parts.append(
            f"back-test on {_figure('', test.get('accounts_tested', 0))} accounts, "
            f"{tested.get('from')} to {tested.get('to')}: right in the top 3 — " + ", ".join(found)
        )
    return "; ".join(parts)


def _figure(key, value) -> str:
    if isinstance(value, dict):
        return ", ".join(f"{_figure(k, v)} {k.replace('_', ' ')}" for k, v in value.items())
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        return f"{value:.1%}" if key in PERCENT_KEYS else f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    try:
        return f"{Decimal(value):,.0f}"
    except (ArithmeticError, ValueError, TypeError):
        return str(value)
