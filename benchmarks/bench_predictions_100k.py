"""What the background computes after a sales change, in one process: per step CPU and
wall seconds and the peak resident memory so far (issue 15's target at 100,000 accounts:
all of it within 3 minutes on 2 CPUs, under 2 GB).

    KEYPLAN_DEBUG=1 DATABASE_URL=sqlite:////path/to/100k.sqlite3 \\
        nice .venv/bin/python benchmarks/bench_predictions_100k.py

Steps, as the warm-up task runs them (inside ``facts.reuse()``: the monthly roll-up is
read once for white space's four runs and the forecast): reading the roll-up into numpy
columns, white space by product (learn and score today's, then the back-test), by
product line (the same), the forecast (the panel summed from the same read, then choose,
back-test, bands and forecast: ``engine.run``). The
functions are called directly, so nothing is read from or written to the cache. On
SQLite it first reads the same columns with the plain ``sqlite3`` module (the floor any
reader through Python pays). CPU seconds count every thread of the process (the model's
OpenMP threads too); on a shared machine they are the figure to compare, not wall time
(each step prints the load average, over one minute, at its end)."""

import json
import os
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")

steps = []


def peak_mb() -> int:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def timed(label, fn):
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    step = {
        "step": label,
        "wall_s": round(time.perf_counter() - started, 1),
        "cpu_s": round(time.process_time() - cpu, 1),
        "peak_rss_mb": peak_mb(),
        "load_average": round(os.getloadavg()[0], 1),
    }
    steps.append(step)
    print(
        f"{label:52} {step['wall_s']:7.1f} s wall {step['cpu_s']:7.1f} s CPU "
        f"peak {step['peak_rss_mb']:,} MB load {step['load_average']}",
        flush=True,
    )
    return result


def floor(path: str) -> int:
    """The plain ``sqlite3`` module reading the same four columns, rows dropped at once."""
    import sqlite3

    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        cursor = con.execute(
            "SELECT account_id, product_id, month, amount FROM sales_salesmonth "
            "WHERE product_id IS NOT NULL"
        )
        n = 0
        while rows := cursor.fetchmany(500_000):
            n += len(rows)
    return n


def main():
    import django

    django.setup()
    from django.db import connection

    from keyplan.accounts.models import Account
    from keyplan.territory.analysis import facts

    started, cpu = time.perf_counter(), time.process_time()
    print(f"{Account.objects.count():,} accounts, load average {os.getloadavg()}", flush=True)
    if connection.vendor == "sqlite":
        path = connection.settings_dict["NAME"]
        rows = timed("floor: sqlite3 module reads the 4 columns", lambda: floor(path))
        print(f"  {rows:,} roll-up rows")
    timed(
        "import scikit-learn and statsforecast",
        lambda: (__import__("sklearn.ensemble"), __import__("statsforecast.models")),
    )
    from keyplan.forecast import engine
    from keyplan.forecast.series import read_panel
    from keyplan.territory.analysis.propensity_report import backtest, predict

    out = {}
    with facts.reuse():
        sales = timed("read the monthly roll-up (facts.monthly_sales)", facts.monthly_sales)
        print(f"  {len(sales):,} roll-up rows")
        del sales
        for by in ("product", "line"):
            prediction = timed(f"white space by {by}: learn, score", lambda by=by: predict(by=by))
            out[f"cells_{by}"] = len(prediction.probability)
            del prediction
            result = timed(f"white space by {by}: back-test", lambda by=by: backtest(by=by))
            out[f"backtest_{by}"] = result.as_dict()
            del result
        # The warm-up computes the forecast last, from the same read of the roll-up,
        # once white space's history is dropped.
        facts.forget("history")
        panel = timed("forecast: the panel from the warm-up's read", read_panel)
        print(f"  {panel.values.shape[0]:,} account × line series, {panel.months} months")
        forecast = timed(
            "forecast: choose, back-test, forecast (engine.run)", lambda p=panel: engine.run(p)
        )
        out["forecast_coverage"] = forecast.backtest.coverage
        out["forecast_band_levels"] = forecast.backtest.levels
        del panel, forecast
    out["total_wall_s"] = round(time.perf_counter() - started, 1)
    out["total_cpu_s"] = round(time.process_time() - cpu, 1)
    out["peak_rss_mb"] = peak_mb()
    out["load_average_after"] = os.getloadavg()
    out["steps"] = steps
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    sys.exit(main())
