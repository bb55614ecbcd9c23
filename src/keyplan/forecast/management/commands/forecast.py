"""keyplan forecast [--horizon N] [--scope S] [--backtest] [--json] [--limit N]"""

import json
import time

from django.core.management.base import BaseCommand, CommandError

from keyplan.core.words import lean
from keyplan.forecast.engine import CLASS_WORDS
from keyplan.forecast.methods import label
from keyplan.forecast.selectors import (
    HorizonError,
    backtest_dict,
    band_sentences,
    parse_horizon,
    record_run,
    scope_forecast,
    territory_result,
)
from keyplan.forecast.series import history_sentences
from keyplan.forecast.stages import backtest_sentences, territory_stage_backtest
from keyplan.territory.analysis.params import ParameterError, Scope

LEVELS = {"account": "per account", "account_line": "per account × product line"}
BASELINES = {
    "chosen": "keyplan's forecast",
    "seasonal_naive": "same month last year",
    "last_year": "last year's monthly average",
}


class Command(BaseCommand):
    help = (
        "Forecast each account's sales per month from its history (the method chosen per "
        "kind of buying by back-test), with a low/high band, its open pipeline weighted by "
        "the territory's win rates; --backtest: how the method did on the last 12 months."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--horizon", default="12", help="months ahead (1-36, default 12)")
        parser.add_argument(
            "--scope",
            default="territory",
            help="territory, team:NAME, rep:USERNAME or industry:NAME",
        )
        parser.add_argument("--backtest", action="store_true", help="report the back-test")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--limit", type=int, default=20, help="accounts listed in text output (default 20)"
        )
        parser.add_argument(
            "--skip-checks",
            action="store_true",
            help="accepted for scripts that pass it: forecast runs no system checks",
        )

    def handle(self, *args, **opts):
        try:
            horizon = parse_horizon(opts["horizon"])
            scope = Scope.parse(opts["scope"])
        except (HorizonError, ParameterError) as exc:
            raise CommandError(str(exc)) from None
        started = time.perf_counter()
        result, seconds = territory_result(horizon, timed=True)
        if seconds is not None:
            record_run(result, seconds=seconds, user=None, source="command line")
        if opts["backtest"]:
            return self._backtest(result, opts["json"])
        result, rows, summary = scope_forecast(user=None, scope=scope, horizon=horizon)
        left_out = history_sentences(getattr(result, "left_out", []))
        if opts["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "scope": str(scope),
                        "horizon": horizon,
                        "months": [f"{m:%Y-%m}" for m in result.months],
                        "history_left_out": left_out,
                        "methods": {c: m for c, m in result.methods.items() if c != "none"},
                        "pipeline": summary,
                        "accounts": [
                            {
                                "account_id": r.account_id,
                                "name": r.name,
                                "external_id": r.external_id,
                                "expected": str(r.expected),
                                "low": str(r.low),
                                "high": str(r.high),
                                "pipeline": str(r.pipeline),
                                "months": [
                                    {
                                        "month": f"{m.month:%Y-%m}",
                                        "expected": str(m.expected),
                                        "low": str(m.low),
                                        "high": str(m.high),
                                        "pipeline": str(m.pipeline),
                                    }
                                    for m in r.months
                                ],
                            }
                            for r in rows
                        ],
                    }
                )
            )
            return
        if not result.months:
            self.stdout.write("No sales history: nothing to forecast.")
            return
        total = sum(r.expected for r in rows)
        self.stdout.write(
            f"Forecast for {scope.label}, {result.months[0]:%Y-%m} to {result.months[-1]:%Y-%m} "
            f"({horizon} months): {total:,.2f} expected from the sales history across "
            f"{len(rows):,} accounts; open pipeline weighted by win rates "
            f"{sum(r.pipeline for r in rows):,.2f} (shown apart, not added)."
        )
        for sentence in left_out:
            self.stdout.write(sentence)
        if summary["win_rate"] is not None:
            self.stdout.write(
                f"Win rate learned from {summary['closed_deals']:,} closed deals: "
                f"{summary['win_rate']:.0%}. {summary['deals_not_counted']:,} open deals are "
                "not counted (no amount, no close date, or closing after the horizon)."
            )
            for stage in summary["stages"]:
                if stage["open_deals"]:
                    self.stdout.write(
                        f"  {stage['stage']}: {stage['rate']:.0%} (the CRM says "
                        f"{stage['stated']:.0%}) — {stage['basis']}"
                    )
        self.stdout.write(
            f"\n{'Account':40} {'Expected':>16} {'Low':>16} {'High':>16} {'Pipeline':>14}"
        )
        for r in rows[: max(0, opts["limit"])]:
            self.stdout.write(
                f"{r.name[:40]:40} {r.expected:>16,.2f} {r.low:>16,.2f} {r.high:>16,.2f} "
                f"{r.pipeline:>14,.2f}"
            )
        if len(rows) > opts["limit"]:
            self.stdout.write(f"… and {len(rows) - opts['limit']:,} more (--limit, or --json).")
        self.stdout.write(f"\n({time.perf_counter() - started:.1f} s)")

    def _backtest(self, result, as_json):
        data = backtest_dict(result)
        data["stages"] = territory_stage_backtest(result.months)
        if as_json:
            self.stdout.write(json.dumps(data))
            return
        self._sales_backtest(data)
        self._stage_backtest(data["stages"])

    def _sales_backtest(self, data):
        if not data["held_out"]:
            self.stdout.write(data["note"] or "Not enough history for a back-test.")
            return
        self.stdout.write(
            f"Back-test: trained on the sales before {data['held_out'][:7]}, forecast "
            f"{data['held_out']} and compared with what was actually sold."
        )
        self.stdout.write(
            "WAPE: the forecast's misses as a share of actual sales (0.25 = off by a "
            "quarter of the revenue). MASE: misses against those of 'same month last year' "
            "within the history (below 1 = better than it).\n"
        )
        for level, words in LEVELS.items():
            self.stdout.write(f"{words}:")
            for name, fig in data["figures"].get(level, {}).items():
                w = "—" if fig["wape"] is None else f"{fig['wape']:.1%}"
                m = "—" if fig["mase"] is None else f"{fig['mase']:.2f}"
                self.stdout.write(f"  {BASELINES[name]:34} WAPE {w:>7}   MASE {m:>5}")
        bias = data.get("bias") or {}
        if bias.get("chosen") is not None:
            self.stdout.write(
                "\nTotal over the held-out year against what was sold: "
                + ", ".join(
                    f"{BASELINES[name]} {lean(value)}"
                    for name, value in bias.items()
                    if value is not None
                )
                + " (WAPE rewards a forecast that leans low when a few big orders lift the "
                "total; read the band's high side for them)."
            )
        bands = band_sentences(data)
        if bands:
            self.stdout.write("\n" + bands)
        self.stdout.write(
            f"\nMethod chosen per kind of buying, by back-tests on {data['chosen_on']} "
            "(score: the mean WAPE per account × line and per account over those windows):"
        )
        for kind, choice in data["choices"].items():
            scores = choice["scores"]
            score = scores.get(choice["method"])
            best = choice.get("best", choice["method"])
            if best != choice["method"]:
                against = (
                    f"; {label(best)} scored {scores[best]:.1%}, within the windows' noise, "
                    "so the simpler method is kept"
                )
            else:
                runner = sorted((s, n) for n, s in scores.items() if n != choice["method"])
                against = (
                    f", next best {label(runner[0][1])} at {runner[0][0]:.1%}" if runner else ""
                )
            self.stdout.write(
                f"  {CLASS_WORDS[kind]} ({choice['series']:,} account × line series): "
                f"{label(choice['method'])} — score {score:.1%}{against}"
            )
        if data["note"]:
            self.stdout.write(f"\n{data['note']}")

    def _stage_backtest(self, stages):
        if not stages:
            return
        self.stdout.write("\nWin rates by stage, the open pipeline's weights:")
        for sentence in backtest_sentences(stages):
            self.stdout.write(f"  {sentence}")
        if stages["stages"]:
            self.stdout.write(
                f"  {'Stage':24} {'Deals':>7} {'Won':>6}   {'keyplan expects':>16}   "
                f"{'the CRM expects':>16}"
            )
            for s in stages["stages"]:
                self.stdout.write(
                    f"  {s['stage'][:24]:24} {s['deals']:>7,} {s['won']:>6,} "
                    f"   {s['learned']:>9,.0f} ({s['learned_rate']:>4.0%})"
                    f"   {s['stated']:>9,.0f} ({s['stated_rate']:>4.0%})"
                )
