"""The territory's forecast page: totals, by product line and tier, the accounts (a page
at a time), the back-test in words, and the recorded runs."""

import numpy as np
from django.core.paginator import Paginator
from django.shortcuts import render

from keyplan.core.words import lean
from keyplan.forecast.engine import CLASS_WORDS
from keyplan.forecast.methods import label
from keyplan.forecast.models import ForecastRun
from keyplan.forecast.selectors import (
    DEFAULT_HORIZON,
    HorizonError,
    backtest_dict,
    band_sentences,
    by_line,
    by_tier,
    cached_result,
    parse_horizon,
    scope_forecast,
)
from keyplan.forecast.series import history_sentences
from keyplan.forecast.stages import backtest_sentences
from keyplan.territory.analysis.params import Scope

ROWS = 50
HORIZONS = (3, 6, 12, 18, 24)
LEVELS = (("account", "Per account"), ("account_line", "Per account × product line"))
BASELINES = (
    ("chosen", "keyplan's forecast"),
    ("seasonal_naive", "Same month last year"),
    ("last_year", "Last year's monthly average"),
)


def forecast_page(request):
    problem = None
    try:
        horizon = parse_horizon(request.GET.get("horizon"))
    except HorizonError as exc:
        problem, horizon = str(exc), DEFAULT_HORIZON
    result = cached_result(horizon)
    if result is None:
        # Computed in the background (the page never waits minutes for it, nor loads the
        # forecasting library); the page says so and asks for it.
        from keyplan.forecast.apps import queue_forecast

        queue_forecast(horizon)
        result = cached_result(horizon)  # a worker in this process may have answered
    if result is None:
        return render(
            request,
            "forecast/territory_forecast.html",
            {
                "nav": "territory",
                "horizon": horizon,
                "horizons": HORIZONS,
                "problem": problem,
                "computing": True,
                "runs": ForecastRun.objects.select_related("created_by")[:10],
            },
        )
    result, rows, pipeline = scope_forecast(
        user=request.user, scope=Scope(), horizon=horizon, result=result
    )
    ids = np.array(sorted(r.account_id for r in rows), dtype=np.int64)
    backtest = backtest_dict(result)
    figures = [
        (
            label,
            [(words, backtest["figures"].get(level, {}).get(name)) for name, words in BASELINES],
        )
        for level, label in LEVELS
    ]
    choices = []
    for kind, choice in backtest["choices"].items():
        scores = sorted((s, n) for n, s in choice["scores"].items())
        runner = next(((s, n) for s, n in scores if n != choice["method"]), None)
        best = choice.get("best", choice["method"])
        choices.append(
            {
                "best": label(best) if best != choice["method"] else None,
                "best_wape": choice["scores"].get(best),
                "kind": CLASS_WORDS[kind],
                "series": choice["series"],
                "method": label(choice["method"]),
                "wape": choice["scores"][choice["method"]],
                "runner": label(runner[1]) if runner else None,
                "runner_wape": runner[0] if runner else None,
            }
        )
    expected = sum(r.expected for r in rows)
    # The windows the methods were chosen on, as a list in words (not "a; b; c").
    windows = [w for w in (backtest.get("chosen_on") or "").split("; ") if w]
    bias = [
        (words, lean(backtest["bias"][name]))  # as `keyplan forecast --backtest` says
        for name, words in BASELINES
        if (backtest.get("bias") or {}).get(name) is not None
    ]
    naive = backtest["figures"].get("account", {}).get("seasonal_naive") or {}
    return render(
        request,
        "forecast/territory_forecast.html",
        {
            "nav": "territory",
            "horizon": horizon,
            "horizons": HORIZONS,
            "problem": problem,
            "months": result.months,
            "history_sentences": history_sentences(getattr(result, "left_out", [])),
            "expected": expected,
            "low": sum(r.low for r in rows),
            "high": sum(r.high for r in rows),
            "pipeline_total": sum(r.pipeline for r in rows),
            "pipeline": pipeline,
            "accounts": Paginator(rows, ROWS).get_page(request.GET.get("page")),
            "account_count": len(rows),
            "lines": by_line(result, ids),
            "tiers": by_tier(rows),
            "backtest": backtest,
            "band_sentences": band_sentences(backtest),
            "figures": figures,
            "choices": choices,
            "stage_sentences": backtest_sentences(pipeline["stage_backtest"]),
            "windows": windows,
            "bias": bias,
            # "Same month last year" itself above 1: the held-out year was harder to
            # forecast than the history before it (every method's MASE is above 1 then).
            "naive_mase": naive.get("mase") if (naive.get("mase") or 0) > 1 else None,
            "misses_over_actual": any(c["wape"] > 1 for c in choices),
            "runs": ForecastRun.objects.select_related("created_by")[:10],
        },
    )
