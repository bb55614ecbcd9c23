"""The forecast and its back-test on a generated territory: time and peak memory.

    KEYPLAN_DEBUG=1 KEYPLAN_DATA_DIR=... .venv/bin/python benchmarks/bench_forecast.py

Times, in one fresh process and without the cache: importing statsforecast, reading the
sales roll-up into the account × product line × month matrix (one aggregate query),
choosing the methods (back-test on the year before the last), the back-test of the last
12 months, the final 12-month forecast (all three are ``engine.run``), and slicing it
into per-account rows with the weighted pipeline (``scope_forecast`` from the result).
Each step gives wall and CPU seconds (the machine is shared: CPU time is the figure to
compare). Peak memory is the process's maximum resident set size. Then the back-test: WAPE
per account and per account × line beside the two baselines, the total against what was
sold, how many held-out account totals and months landed inside their band, and the
percentile levels of a year's errors the bands were read at (checked, and the forecast's).
"""

import os
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")


def timed(label, fn):
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    print(
        f"{label:60} {time.perf_counter() - started:7.2f} s wall "
        f"{time.process_time() - cpu:7.2f} s CPU"
    )
    return result


def main():
    import django

    django.setup()
    from django.core.cache import cache

    from keyplan.accounts.models import Account
    from keyplan.forecast import engine
    from keyplan.forecast.selectors import scope_forecast
    from keyplan.forecast.series import read_panel
    from keyplan.territory.analysis.params import Scope

    print(f"{Account.objects.count():,} accounts")
    started = time.perf_counter()
    timed("import statsforecast", lambda: __import__("statsforecast.models"))
    panel = timed("read the roll-up into series × months", read_panel)
    print(f"  {panel.values.shape[0]:,} account × line series, {panel.months} months")
    result = timed(
        "choose, back-test and forecast 12 months (engine.run)", lambda: engine.run(panel)
    )
    cache.clear()
    from keyplan.territory.analysis.cache import cache_key

    cache.set(cache_key("forecast", None, {"horizon": 12}), result, 600)
    _, rows, _ = timed(
        "per-account rows with the weighted pipeline",
        lambda: scope_forecast(user=None, scope=Scope(), horizon=12),
    )
    print(f"  {len(rows):,} accounts with a forecast")
    wall = time.perf_counter() - started
    print(f"{'total':60} {wall:7.2f} s wall {time.process_time():7.2f} s CPU")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS) {peak:,.0f} MB")
    figures = result.backtest.figures
    for level in ("account", "account_line"):
        print(level, {k: v["wape"] for k, v in figures[level].items()})
    print("total ÷ sold − 1", result.backtest.bias)
    print("inside the band", result.backtest.coverage)
    bt = result.backtest
    print("band levels checked", getattr(bt, "levels_checked", None))
    print("band levels of the forecast", getattr(bt, "levels", None))
    print("chosen", {c: ch["method"] for c, ch in result.backtest.choices.items()})


if __name__ == "__main__":
    sys.exit(main())
