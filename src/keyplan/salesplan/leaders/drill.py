"""The list behind each figure of a roll-up (``rollup_drill``): the quotas, account
goals, objectives, sales by account, opportunities, plans with their health, overdue
actions or investment cases a figure adds up or counts. It filters each source by the
same path the roll-up groups it by, so its total is always the figure."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from keyplan.salesplan.choices import Channel, QuotaLevel
from keyplan.salesplan.periods import Period
from keyplan.salesplan.rollups import (
    BY_LABELS,
    MEASURE_LABELS,
    NONE_KEY,
    PATHS,
    ZERO,
    RollupError,
    _filter,
    _goals,
    _investments,
    _key,
    _objectives,
    _overdue,
    _pipeline,
    _quotas,
    _sales,
    _today,
    kept_measures,
    parse_by,
    parse_measure,
    plans_in,
)


@dataclass
class DrillLine:
    label: str
    url: str = ""
    of: str = ""  # whose, or which account
    amount: Decimal | None = None  # the line's part of the figure (None: counted)
    note: str = ""


@dataclass
class Drill:
    by: str
    key: str
    measure: str
    title: str
    lines: list[DrillLine]
    counted: bool  # True: the figure is the number of lines; else the sum of amounts
    row_label: str = ""

    @property
    def total(self):
        if self.counted:
            return len(self.lines)
        return sum((line.amount or ZERO for line in self.lines), ZERO)


def rollup_drill(*, user, period: Period, by: str, key: str, measure: str, today=None) -> Drill:
    """The rows behind one figure of ``rollup``: accounts' goals, objectives, sales by
    account, opportunities, plans with their health, overdue actions, investment cases.
    Its total is the figure (a test holds them equal)."""
    from keyplan.core import words

    by, measure = parse_by(by), parse_measure(measure)
    today = _today(today)
    paths = PATHS[by]
    if measure not in kept_measures(by):
        # "Quota are not kept by channel" read wrong for a singular label.
        raise RollupError(
            f"“{MEASURE_LABELS[measure]}” is not kept by {BY_LABELS[by].lower()}: "
            "choose another figure or roll-up."
        )
    key = str(key or NONE_KEY)
    if by in ("rep", "team", "product_line") and key != NONE_KEY and not key.isdigit():
        raise RollupError(
            f"“{key}” is not a {BY_LABELS[by].lower()}: open the list behind a figure from "
            "its link on the team board or the company view."
        )
    lines: list[DrillLine] = []
    counted = False
    if measure == "quota" and by in ("rep", "team") or measure == "reps_quota":
        level = QuotaLevel.TEAM if (by == "team" and measure == "quota") else QuotaLevel.REP
        path = paths["quota"] if measure == "quota" else paths["reps_quota"]
        for q in (
            _quotas(user, period, level)
            .filter(_filter(path, key))
            .select_related("rep", "team")
            .order_by("pk")
        ):
            lines.append(DrillLine(label=q.holder, of=period.name, amount=q.amount))
    elif measure in ("quota", "objectives"):
        for o in (
            _objectives(user, period, by)
            .filter(_filter(paths["objective"], key))
            .select_related("plan__rep")
            .order_by("plan__rep__last_name", "pk")
        ):
            lines.append(
                DrillLine(
                    label=o.title,
                    url=_territory_url(o.plan_id),
                    of=str(o.plan.rep),
                    amount=o.target,
                )
            )
    elif measure == "goals":
        for g in (
            _goals(user, period)
            .filter(_filter(paths["goal"], key))
            .select_related("account", "rep")
            .order_by("-amount", "account__name", "pk")
        ):
            lines.append(
                DrillLine(
                    label=g.account.name,
                    url=g.account.get_absolute_url(),
                    of=str(g.rep or ""),
                    amount=g.amount,
                    note=g.get_basis_display(),
                )
            )
    elif measure == "won":
        rows = (
            _sales(user, period, today)
            .filter(_filter(paths["sale"], key))
            .order_by()
            .values_list("account_id", "account__name")
            .annotate(total=Sum("amount"))
            .order_by("-total", "account__name")
        )
        for account_id, name, total in rows:
            lines.append(DrillLine(label=name, url=_account_url(account_id), amount=total))
    elif measure == "pipeline":
        for opp in (
            _pipeline(user, period)
            .filter(_filter(paths["opportunity"], key))
            .select_related("account")
            .order_by("close_date", "pk")
        ):
            lines.append(
                DrillLine(
                    label=opp.name,
                    url=opp.get_absolute_url(),
                    of=opp.account.name,
                    amount=opp.amount,
                    note=f"closes {words.day(opp.close_date)} · {opp.stage}",
                )
            )
    elif measure == "forecast":
        from keyplan.accounts.models import Account

        accounts = {
            pk: (name, k)
            for pk, name, k in Account.objects.visible_to(user).values_list(
                "pk", "name", paths["account"]
            )
        }
        by_key = {pk: k for pk, (_, k) in accounts.items()}
        from keyplan.salesplan import rollups

        result = rollups.forecast_result()
        if result is not None:
            from keyplan.salesplan.forecasting import period_forecast

            wanted = [pk for pk, k in by_key.items() if _key(k) == key]
            found = period_forecast(wanted, period, result=result)
            if getattr(found, "available", False):
                for pk, value in sorted(found.by_account.items(), key=lambda kv: -kv[1]):
                    if value and pk in accounts:
                        lines.append(
                            DrillLine(label=accounts[pk][0], url=_account_url(pk), amount=value)
                        )
    elif measure == "plans":
        from keyplan.plans.health import last_confirmed
        from keyplan.salesplan.leaders.health import plan_healths

        counted = True
        plans = list(
            plans_in(user, period)
            .filter(_filter(paths["plan"], key))
            .select_related("account", "owner")
            .order_by("account__name", "pk")
        )
        healths = plan_healths(plans, today=today)
        for plan in plans:
            confirmed = last_confirmed(plan)
            lines.append(
                DrillLine(
                    label=plan.account.name,
                    url=plan.get_absolute_url(),
                    of=str(plan.owner or ""),
                    note=f"health {healths[plan.pk].score} · "
                    + (f"confirmed {words.day(confirmed)}" if confirmed else "never confirmed"),
                )
            )
    elif measure == "overdue":
        counted = True
        for action in (
            _overdue(user, period, today)
            .filter(_filter(f"plan__{paths['plan']}", key))
            .select_related("plan__account", "owner")
            .order_by("due_date", "pk")
        ):
            lines.append(
                DrillLine(
                    label=action.title,
                    url=action.plan.get_absolute_url() + "#execution",
                    of=f"{action.owner} · {action.plan.account.name}",
                    note=f"due {words.day(action.due_date)}",
                )
            )
    elif measure == "investments":
        counted = True
        for case in (
            _investments(user, period)
            .filter(_filter(f"idea__plan__{paths['plan']}", key))
            .select_related("idea__plan__account", "submitted_by")
            .order_by("submitted_at", "pk")
        ):
            lines.append(
                DrillLine(
                    label=case.title,
                    url=case.idea.plan.get_absolute_url() + "#investments",
                    of=case.idea.plan.account.name,
                    amount=case.cost,
                    note=f"submitted by {case.submitted_by or '—'} on "
                    f"{words.day(case.submitted_at)}",
                )
            )
    return Drill(
        by=by,
        key=key,
        measure=measure,
        title=MEASURE_LABELS[measure],
        lines=lines,
        counted=counted,
        row_label=_row_label(by, key),
    )


def _row_label(by: str, key: str) -> str:
    """The name of a row, as the roll-up shows it (one query for a rep, team or line)."""
    from keyplan.catalog.models import ProductLine
    from keyplan.people.models import Team, User

    if key == NONE_KEY:
        return {
            "rep": "No owner",
            "team": "No team",
            "tier": "No tier",
            "product_line": "No product line",
            "channel": "No channel",
        }[by]
    if by == "tier":
        return f"Tier {key}"
    if by == "channel":
        return str(dict(Channel.choices).get(key, key))
    model = {"rep": User, "team": Team, "product_line": ProductLine}[by]
    found = model.objects.filter(pk=int(key)).first() if key.isdigit() else None
    return str(found) if found else key


def _account_url(pk) -> str:
    from django.urls import reverse

    return reverse("account_detail", args=[pk])


def _territory_url(pk) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("territory_plan", args=[pk])
    except NoReverseMatch:  # the territory plan pages are not installed
        return ""
