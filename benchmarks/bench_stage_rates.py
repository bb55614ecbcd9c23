"""Win rates by stage from the deals' stage history, and their back-test, on a generated
territory: CPU and wall time, query counts and the figures.

    KEYPLAN_DEBUG=1 KEYPLAN_DATA_DIR=... .venv/bin/python benchmarks/bench_stage_rates.py

Run after ``keyplan generate --accounts N`` (the generator writes each deal's stage
history). Times are taken in one fresh process, without the cache."""

import datetime
import os
import resource
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")


def timed(label, fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wall, cpu = time.perf_counter(), time.process_time()
    with CaptureQueriesContext(connection) as queries:
        result = fn()
    print(
        f"{label:58} {time.perf_counter() - wall:6.2f} s wall {time.process_time() - cpu:6.2f} s "
        f"CPU {len(queries):4} queries"
    )
    return result


def main():
    import django

    django.setup()
    from keyplan.forecast.pipeline import win_rates
    from keyplan.forecast.stages import backtest_sentences, stage_backtest
    from keyplan.sales.models import Opportunity, OpportunityStageChange

    print(
        f"{Opportunity.objects.count():,} deals, "
        f"{OpportunityStageChange.objects.count():,} stage changes"
    )
    last = Opportunity.objects.order_by("-close_date").values_list("close_date", flat=True)
    closed = Opportunity.objects.exclude(status="open").order_by("-close_date")
    until = closed.values_list("close_date", flat=True).first() or last.first()
    until = until.replace(day=1) + datetime.timedelta(days=32)
    until = until.replace(day=1) - datetime.timedelta(days=1)
    rates = timed(
        "win rates by stage, last two years (win_rates)",
        lambda: win_rates(until - datetime.timedelta(days=729), until),
    )
    for stage, rate in sorted(rates.stages.items(), key=lambda kv: kv[1].rate):
        print(f"  {stage:15} {rate.rate:6.1%}  {rate.basis}")
    bt = timed("back-test on the last 12 months (stage_backtest)", lambda: stage_backtest(until))
    for sentence in backtest_sentences(bt.as_dict()):
        print(f"  {sentence}")
    for s in bt.stages:
        print(
            f"  {s.stage:15} won {s.won:,} of {s.deals:,}; keyplan expected {s.learned:,.0f}, "
            f"the CRM {s.stated:,.0f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS) {peak:,.0f} MB")


if __name__ == "__main__":
    main()
