"""keyplan analyze pareto [--from D] [--to D] [--scope S] [--level account|entity]
[--threshold 0.8] [--basis all|with_revenue] [--json]"""

import json
import os
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from keyplan.core.workers import can_fork, run_forked
from keyplan.territory.analysis.facts import reuse
from keyplan.territory.analysis.params import ParameterError, Scope, Window
from keyplan.territory.analysis.pareto import pareto


class Command(BaseCommand):
    help = (
        "Territory analyses over the sales roll-up. Pareto: accounts ranked by revenue in "
        "the window, their shares and the core set that makes the threshold."
    )
    # A read of the facts, often scheduled: Django's system checks (which import every
    # URL and view, 0.1–0.15 s) are for `keyplan check` and the server, not for each run.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "analysis", choices=["pareto", "tiers", "whitespace", "audience", "wallet", "all"]
        )
        parser.add_argument(
            "--from",
            dest="start",
            metavar="D",
            help="first day or month (default: 12 months to the last sale)",
        )
        parser.add_argument("--to", dest="end", metavar="D", help="last day or month")
        parser.add_argument(
            "--scope",
            default="territory",
            help="territory, team:NAME, rep:USERNAME or industry:NAME",
        )
        parser.add_argument(
            "--level",
            choices=["account", "entity"],
            default="account",
            help="entity: roll each hierarchy up into its legal entity",
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=0.8,
            help="share of revenue the core set reaches (default 0.8)",
        )
        parser.add_argument(
            "--basis",
            choices=["all", "with_revenue"],
            default="all",
            help="pareto: count all accounts in scope (default) or only those with revenue "
            "in the window",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--by",
            choices=["product", "line"],
            default="product",
            help="whitespace: per product or per product line",
        )
        parser.add_argument(
            "--horizon",
            metavar="N",
            default="12",
            help="whitespace: months ahead the probability of buying is for (1-24, default 12)",
        )
        parser.add_argument(
            "--rank",
            choices=["value", "probability"],
            default="value",
            help="whitespace: rank white space by expected value (default) or probability",
        )
        parser.add_argument(
            "--backtest",
            action="store_true",
            help="whitespace: hold out the latest 12 months, learn from the years before, "
            "and report how well each ranking found what accounts then bought",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=0,
            help="all: how many analyses run at once, each in its own process (default: one "
            "per CPU); 1 runs them one after another",
        )
        parser.add_argument(  # `requires_system_checks = []` drops Django's own option
            "--skip-checks",
            action="store_true",
            help="accepted for scripts that pass it: analyze runs no system checks",
        )
        parser.add_argument(
            "--propose",
            action="store_true",
            help="tiers: store a run and propose the changes for sales ops",
        )

    def handle(self, *args, analysis, start, end, scope, level, threshold, **opts):
        import time

        if analysis == "all":
            with reuse():  # the five analyses read the same sales once
                self._all(
                    *args,
                    start=start,
                    end=end,
                    scope=scope,
                    level=level,
                    threshold=threshold,
                    **opts,
                )
            return
        started = time.monotonic()
        self._summary = {}
        self._dispatch(analysis, start, end, scope, level, threshold, opts)
        self._record(analysis, started, start, end, scope, level, threshold, opts)

    def _all(self, *args, start, end, scope, level, threshold, **opts):
        names = ["pareto", "tiers", "whitespace", "audience", "wallet"]
        if not _has_profile():
            names.remove("tiers")
        kwargs = {
            "start": start,
            "end": end,
            "scope": scope,
            "level": level,
            "threshold": threshold,
            **{k: v for k, v in opts.items() if k not in ("stdout", "stderr")},
            "json": False,
        }
        jobs = min(len(names), opts.get("jobs") or os.cpu_count() or 1)
        if jobs > 1 and can_fork():
            outputs = self._all_at_once(names, jobs, kwargs)
        else:
            outputs = {name: _capture((name, kwargs)) for name in names}
        for name in ("pareto", "tiers", "whitespace", "audience", "wallet"):
            if name == "tiers" and name not in names:
                self.stdout.write("tiers: skipped, no ideal customer profile yet.")
            elif name in outputs:
                self.stdout.write(outputs[name], ending="")

    def _all_at_once(self, names, jobs, kwargs) -> dict:
        """The analyses in ``jobs`` worker processes at once, longest first; each worker
        records its own run. What several analyses read is read here first, and the
        workers inherit it."""
        from keyplan.territory.analysis.facts import account_totals

        try:
            window = Window.parse(kwargs["start"], kwargs["end"])
            Scope.parse(kwargs["scope"])
        except ParameterError as exc:
            raise CommandError(str(exc)) from None
        account_totals(window)  # Pareto and share of wallet both need it: read it once
        longest_first = sorted(names, key=LONGEST_FIRST.index)
        printed = run_forked(_capture, [(name, kwargs) for name in longest_first], workers=jobs)
        return dict(zip(longest_first, printed, strict=True))

    @transaction.atomic  # the run and its snapshots together (and SQLite commits once)
    def _record(self, analysis, started, start, end, scope, level, threshold, opts):
        import time

        from keyplan.core.bulk import bulk_insert
        from keyplan.territory.models import AnalysisRun, WalletSnapshot

        run = AnalysisRun.objects.create(
            kind=analysis,
            seconds=round(time.monotonic() - started, 3),
            parameters=run_parameters(analysis, start, end, scope, level, threshold, opts),
            summary=self._summary,
        )
        if analysis == "wallet":
            # 100,000 accounts: the database's bulk path, amounts as exact decimal text.
            bulk_insert(
                WalletSnapshot._meta.db_table,
                ("run_id", "account_id", "revenue", "potential", "share"),
                self._figures.snapshot_rows(run.pk),
                sqlite_ready=True,
            )

    def _dispatch(self, analysis, start, end, scope, level, threshold, opts):
        if analysis == "wallet":
            return self._wallet(start, end, scope, opts)
        if analysis == "tiers":
            return self._tiers(start, end, scope, opts)
        if analysis == "whitespace":
            return self._whitespace(start, end, scope, opts)
        if analysis == "audience":
            return self._audience(scope, opts)
        try:
            result = pareto(
                user=None,
                window=Window.parse(start, end),
                scope=Scope.parse(scope),
                level=level,
                threshold=threshold,
                basis=opts.get("basis") or "all",
            )
        except ParameterError as exc:
            raise CommandError(str(exc)) from None
        self._summary = {
            "total_revenue": str(result.total_revenue),
            "accounts": result.accounts,
            "core_count": result.core_count,
            "top20_share": result.top20_share,
        }
        if opts["json"]:
            self._json(result)
        else:
            self._text(result)

    def _tiers(self, start, end, scope, opts):
        from keyplan.territory.analysis.tiers import current_version, score_accounts
        from keyplan.territory.services import tiers_recompute

        version = current_version()
        if version is None:
            raise CommandError("No ideal customer profile yet: define it on the ICP page.")
        try:
            window = Window.parse(start, end)
            scores = score_accounts(
                user=None, version=version, window=window, scope=Scope.parse(scope)
            )
        except ParameterError as exc:
            raise CommandError(str(exc)) from None
        counts = {t: sum(1 for s in scores if s.tier == t) for t in "ABC"}
        self._summary = {"version": version.number, "counts": dict(counts)}
        if opts["propose"]:
            run = tiers_recompute(user=None, window=window)
            counts["proposed_changes"] = run.proposals.count()
        if opts["json"]:
            self.stdout.write(
                json_dumps(
                    {
                        "version": version.number,
                        "window": {"from": window.start.isoformat(), "to": window.end.isoformat()},
                        "counts": counts,
                        "accounts": [
                            {
                                "name": s.name,
                                "external_id": s.external_id,
                                "score": s.score,
                                "tier": s.tier,
                                "met": s.met,
                                "missed": s.missed,
                            }
                            for s in scores
                        ],
                    }
                )
            )
            return
        self.stdout.write(
            f"ICP v{version.number}, {window.label}: "
            + ", ".join(f"{k} {v:,}" for k, v in counts.items())
        )
        for s in sorted(scores, key=lambda s: -s.score)[:25]:
            self.stdout.write(
                f"{s.tier}  {s.score:>3}  {s.name} ({s.external_id}) — "
                f"meets: {', '.join(s.met) or 'nothing'}"
            )

    def _whitespace(self, start, end, scope, opts):
        from keyplan.territory.analysis.propensity import parse_horizon
        from keyplan.territory.analysis.propensity_report import predicted_cells
        from keyplan.territory.analysis.whitespace import WHITE, whitespace
        from keyplan.territory.predictions import whitespace_predictions

        if opts.get("backtest"):
            return self._whitespace_backtest(opts)
        try:
            horizon = parse_horizon(opts.get("horizon"))
            result = whitespace(
                user=None, window=Window.parse(start, end), scope=Scope.parse(scope), by=opts["by"]
            )
        except ParameterError as exc:
            raise CommandError(str(exc)) from None
        prediction = whitespace_predictions(by=result.by, horizon=horizon)
        names = {item_id: name for item_id, name, _line in result.items}
        rank = opts.get("rank") or "value"
        totals = prediction.totals(result.accounts)  # the accounts in scope only
        expected_total, expected_purchases = totals["value"], totals["purchases"]
        self._summary = {
            "by": result.by,
            "horizon": horizon,
            "counts": result.counts,
            "expected_value": f"{expected_total:.2f}",
            "expected_purchases": round(expected_purchases, 1),
        }
        if opts["json"]:
            column = result.by if result.by == "product" else "product_line"

            def cells():
                for row in result.iter_rows():
                    scored = prediction.of_account(row.account_id)
                    for cell in row.cells:
                        out = {
                            "account": row.name,
                            "external_id": row.external_id,
                            column: names[cell.item_id],
                            "state": cell.state,
                            "value": None if cell.value is None else str(cell.value),
                        }
                        if cell.state == WHITE:
                            p, value, why = scored.get(cell.item_id, (None, None, ""))
                            out["probability"] = None if p is None else round(p, 4)
                            out["value"] = None if value is None else f"{value:.2f}"
                            out["why"] = why or (
                                "Bought in the 12 months before "
                                f"{prediction.as_of:%Y-%m}: not white space today."
                            )
                        yield out

            self.stdout.write(
                json_dumps(
                    {
                        "window": {
                            "from": result.window.start.isoformat(),
                            "to": result.window.end.isoformat(),
                        },
                        "by": result.by,
                        "horizon": horizon,
                        "rank": rank,
                        "predicted_from": prediction.as_of.isoformat(),
                        "counts": result.counts,
                        "expected_value": f"{expected_total:.2f}",
                        "expected_purchases": round(expected_purchases, 1),
                        "cells": list(cells()),
                    }
                )
            )
            return
        months = "a year" if horizon == 12 else f"{horizon} months"
        self.stdout.write(
            f"White space by {result.by}, {result.window.label}: {result.counts['owned']:,} "
            f"owned, {result.counts['pipeline']:,} in pipeline, "
            f"{result.counts['white_space']:,} white space. From {prediction.as_of:%Y-%m}, "
            f"within {months}: about {expected_purchases:,.0f} purchases expected, "
            f"worth {expected_total:,.0f} {settings.KEYPLAN_CURRENCY} in their first year. "
            f"Best by {'expected value' if rank == 'value' else 'probability'}:"
        )
        best = predicted_cells(prediction, rank, 25, accounts=list(result.accounts))
        for account_id, item_id, p, value, why in best:
            name, ext, _industry, _band = result.accounts[account_id]
            self.stdout.write(
                f"{p:>6.0%} {value:>12,.0f}  {name} ({ext}) — {names[item_id]}. {why}"
            )

    def _whitespace_backtest(self, opts):
        from keyplan.territory.predictions import whitespace_backtest

        result = whitespace_backtest(by=opts["by"])
        self._summary = {"backtest": result.as_dict()}
        if opts["json"]:
            self.stdout.write(json_dumps(result.as_dict()))
            return
        for line in result.sentences():
            self.stdout.write(line)

    def _audience(self, scope, opts):
        from keyplan.territory.analysis.audience import audience

        try:
            result = audience(user=None, scope=Scope.parse(scope))
        except ParameterError as exc:
            raise CommandError(str(exc)) from None
        self._summary = {
            "accounts": len(result.accounts),
            "core_coverage": result.totals["core lines"]["coverage"],
            "core_engagement": result.totals["core lines"]["engagement"],
            "other_coverage": result.totals["other lines"]["coverage"],
        }
        if opts["json"]:
            self.stdout.write(
                json_dumps(
                    {
                        "days": result.days,
                        "as_of": result.as_of.isoformat(),
                        "totals": result.totals,
                        "accounts": [
                            {
                                "account": a.name,
                                "lines": [
                                    {
                                        "line": c.line,
                                        "roles": c.roles,
                                        "known": c.known,
                                        "engaged": c.engaged,
                                        "missing": c.missing,
                                    }
                                    for c in a.lines
                                ],
                            }
                            for a in result.accounts
                        ],
                    }
                )
            )
            return
        self.stdout.write(f"Audience coverage (engaged = met in the last {result.days} days):")
        for line, figures in result.totals.items():
            self.stdout.write(
                f"  {line}: {figures['coverage']:.0%} known, {figures['engagement']:.0%} engaged"
            )

    def _wallet(self, start, end, scope, opts):
        from keyplan.territory.analysis.facts import money
        from keyplan.territory.analysis.wallet import (
            WalletFigures,
            cents_text,
            wallet_figures,
            wallets,
        )

        try:
            window = Window.parse(start, end)
            if opts["json"]:  # every account listed: the figures come from the same read
                items = wallets(user=None, window=window, scope=Scope.parse(scope))
                figures = WalletFigures.of(items)
            else:
                figures = wallet_figures(user=None, window=window, scope=Scope.parse(scope))
        except ParameterError as exc:
            raise CommandError(str(exc)) from None
        known, revenue, potential = figures.known()
        share = float(Decimal(revenue) / potential) if potential else 0.0
        self._summary = {
            "accounts": len(figures.ids),
            "with_potential": known,
            "revenue": cents_text(revenue) if known else "0",
            "potential": cents_text(potential) if known else "0",
            "share": share,
        }
        self._figures = figures
        if opts["json"]:
            self.stdout.write(
                json_dumps(
                    {
                        **self._summary,
                        "accounts_list": [
                            {
                                "name": w.name,
                                "external_id": w.external_id,
                                "revenue": str(w.revenue),
                                "potential": None if w.potential is None else str(w.potential),
                                "share": w.share,
                                "method": w.method,
                            }
                            for w in items
                        ],
                    }
                )
            )
        else:
            self.stdout.write(
                f"Share of wallet, {window.label}: {share:.1%} ({money(revenue):,.0f} of a "
                f"potential {money(potential):,.0f} a year over {known:,} of "
                f"{len(figures.ids):,} accounts)."
            )

    def _json(self, r):
        payload = r.summary()
        payload["accounts_list"] = [
            {
                "rank": row.rank,
                "name": row.name,
                "external_id": row.external_id,
                "revenue": str(row.revenue),
                "share": round(row.share, 6),
                "cumulative_share": round(row.cumulative_share, 6),
                "in_core": row.in_core,
            }
            for row in r.rows
        ]
        self.stdout.write(json_dumps(payload))

    def _text(self, r):
        self.stdout.write(
            f"Pareto, {r.window.label}, {r.scope.label}, by {r.level}: "
            f"{r.accounts:,} accounts, revenue {r.total_revenue:,.0f}.\n"
            f"{_basis_sentence(r)}\n"
            f"The top {r.core_count:,} accounts ({_pct(r.core_count, r.accounts)}) make "
            f"{r.threshold:.0%} of revenue; the top 20% of accounts make {r.top20_share:.1%}. "
            f"50% / 80% / 90% of revenue come from {r.accounts_for[50]:,} / "
            f"{r.accounts_for[80]:,} / {r.accounts_for[90]:,} accounts."
        )
        if r.tied_at_threshold:
            self.stdout.write(
                "Note: accounts tied on revenue at the threshold; ties are broken by name."
            )
        self.stdout.write(f"\n{'rank':>5}  {'revenue':>14}  {'cum.':>6}  core  account")
        for row in r.rows[:25]:
            self.stdout.write(
                f"{row.rank:>5}  {row.revenue:>14,.0f}  {row.cumulative_share:>6.1%}  "
                f"{'yes ' if row.in_core else '    '}  {row.name} ({row.external_id})"
            )
        if len(r.rows) > 25:
            self.stdout.write(f"… {len(r.rows) - 25:,} more (use --json for all).")


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.1%} of accounts" if whole else "no accounts"


def json_dumps(payload) -> str:
    return json.dumps(payload, default=str)


def _has_profile() -> bool:
    from keyplan.territory.models import IcpVersion

    return IcpVersion.objects.exists()


# How long each analysis takes at 100,000 accounts, longest first (benchmarks/README.md;
# share of wallet with writing its 100,000 snapshots): on two workers, white space then
# tiers on one, share of wallet, audience and Pareto on the other.
LONGEST_FIRST = ["whitespace", "wallet", "audience", "tiers", "pareto"]


def _capture(job: tuple[str, dict]) -> str:
    """Run one analysis; return what it printed."""
    from io import StringIO

    name, kwargs = job
    out = StringIO()
    Command(stdout=out).handle(analysis=name, **kwargs)
    return out.getvalue()


def _basis_sentence(r) -> str:
    """What the accounts counted are, so "the top 20% of accounts" can be read."""
    n, none = f"{r.accounts:,}", f"{r.without_revenue:,}"
    if r.basis == "with_revenue":
        left_out = f" ({none} in scope without revenue left out)" if r.without_revenue else ""
        return f"Accounts counted: the {n} with revenue in the window{left_out}."
    without = f", {none} of them without revenue in the window" if r.without_revenue else ""
    return f"Accounts counted: all {n} in scope{without}."


def run_parameters(analysis, start, end, scope, level, threshold, opts) -> dict:
    """What a recorded run was asked for — only what applies to that analysis — with the
    window it resolved to (the default window moves as sales arrive)."""
    params = {"scope": scope}
    if analysis != "audience":
        window = Window.parse(start, end)
        params.update({"from": start, "to": end, "window": window.label})
    if analysis == "pareto":
        params.update({"level": level, "threshold": threshold, "basis": opts.get("basis")})
    elif analysis == "whitespace":
        params["by"] = opts.get("by")
        params["horizon"] = opts.get("horizon")
        params["rank"] = opts.get("rank")
        params["backtest"] = bool(opts.get("backtest"))
    return params
