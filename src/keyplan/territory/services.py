"""Writes of the territory app: ICP versions, tier runs and the decisions on proposals."""

from django.db import transaction
from django.utils import timezone

from keyplan.territory.analysis.params import Window
from keyplan.territory.analysis.tiers import current_version, score_accounts, validate_criterion
from keyplan.territory.choices import ProposalStatus
from keyplan.territory.models import AccountTier, IcpVersion, TierProposal, TierRun


@transaction.atomic
def icp_save(*, user, criteria: list[dict], note: str = "", **settings) -> IcpVersion:
    """A new version of the profile (the old ones stay as history)."""
    previous = current_version()
    fields = {
        "method": previous.method if previous else "thresholds",
        "a_threshold": previous.a_threshold if previous else 70,
        "b_threshold": previous.b_threshold if previous else 40,
        "a_share": previous.a_share if previous else 20,
        "b_share": previous.b_share if previous else 30,
    }
    fields.update(settings)
    if fields["b_threshold"] > fields["a_threshold"]:
        from keyplan.territory.analysis.params import ParameterError

        raise ParameterError("The score for B cannot be above the score for A.")
    if fields["a_share"] + fields["b_share"] > 100:
        from keyplan.territory.analysis.params import ParameterError

        raise ParameterError("A and B together cannot hold more than 100% of accounts.")
    return IcpVersion.objects.create(
        number=(previous.number + 1) if previous else 1,
        criteria=[validate_criterion(c) for c in criteria],
        note=note[:255],
        created_by=user,
        **fields,
    )


@transaction.atomic
def tiers_recompute(*, user, window: Window | None = None) -> TierRun:
    """Score every account with the profile in force and propose each change of tier
    against the accepted tiers. Pending proposals of earlier runs are withdrawn."""
    version = current_version()
    if version is None:
        from keyplan.territory.analysis.params import ParameterError

        raise ParameterError("Define the ideal customer profile first.")
    window = window or Window.default()
    scores = score_accounts(user=None, version=version, window=window)
    accepted = dict(AccountTier.objects.values_list("account_id", "tier"))
    counts: dict[str, int] = {}
    for s in scores:
        counts[s.tier] = counts.get(s.tier, 0) + 1
    run = TierRun.objects.create(
        version=version,
        window_start=window.start,
        window_end=window.end,
        counts=counts,
        created_by=user,
    )
    TierProposal.objects.filter(status=ProposalStatus.PENDING).delete()
    TierProposal.objects.bulk_create(
        [
            TierProposal(
                run=run,
                account_id=s.account_id,
                old_tier=accepted.get(s.account_id, ""),
                new_tier=s.tier,
                score=s.score,
                reasons=s.reasons,
            )
            for s in scores
            if accepted.get(s.account_id) != s.tier
        ],
        batch_size=2000,
    )
    return run


@transaction.atomic
def proposals_decide(*, user, proposals, accept: bool) -> int:
    """Accept (the new tier becomes the account's tier) or reject pending proposals, in
    bulk: accepting all of a run's proposals is a handful of queries."""
    now = timezone.now()
    pending = proposals.filter(status=ProposalStatus.PENDING)
    chosen = list(
        pending.select_related("run").values_list(
            "pk", "account_id", "new_tier", "score", "reasons", "run__version_id"
        )
    )
    if accept and chosen:
        accounts = [row[1] for row in chosen]
        AccountTier.objects.filter(account_id__in=accounts).delete()
        AccountTier.objects.bulk_create(
            [
                AccountTier(
                    account_id=account,
                    tier=tier,
                    score=score,
                    reasons=reasons,
                    version_id=version,
                    accepted_by=user,
                    accepted_at=now,
                )
                for _pk, account, tier, score, reasons, version in chosen
            ],
            batch_size=2000,
        )
    TierProposal.objects.filter(pk__in=[row[0] for row in chosen]).update(
        status=ProposalStatus.ACCEPTED if accept else ProposalStatus.REJECTED,
        decided_by=user,
        decided_at=now,
    )
    return len(chosen)


@transaction.atomic
def strategic_suggest(*, window: Window | None = None, per_rep: int = 5) -> int:
    """Suggest strategic accounts for every rep; decisions already taken stand, and
    suggestions no longer among the best are withdrawn. Returns new suggestions."""
    from keyplan.territory.analysis.strategic import strategic_candidates
    from keyplan.territory.models import StrategicAccount, StrategicStatus

    if per_rep < 1:
        from keyplan.territory.analysis.params import ParameterError

        raise ParameterError("At least one strategic account per rep.")
    window = window or Window.default()
    chosen = {
        w.account_id: w
        for items in strategic_candidates(window=window, per_rep=per_rep).values()
        for w in items
    }
    StrategicAccount.objects.filter(status=StrategicStatus.SUGGESTED).exclude(
        account_id__in=chosen
    ).delete()
    existing = set(StrategicAccount.objects.values_list("account_id", flat=True))
    new = [
        StrategicAccount(
            account_id=pk,
            reason=f"Tier A; potential {w.potential or 0:,.0f} a year, revenue "
            f"{w.revenue:,.0f} a year",
        )
        for pk, w in chosen.items()
        if pk not in existing
    ]
    StrategicAccount.objects.bulk_create(new)
    return len(new)


def can_decide_strategic(user, account) -> bool:
    from keyplan.accounts.models import Account

    if not user.is_authenticated or user.role == "rep":
        return False
    return Account.objects.visible_to(user).filter(pk=account.pk).exists()


@transaction.atomic
def strategic_decide(*, user, strategic, confirm: bool):
    from django.core.exceptions import PermissionDenied

    from keyplan.territory.models import StrategicStatus

    if not can_decide_strategic(user, strategic.account):
        raise PermissionDenied(
            "Only a manager of the account's rep, an executive or sales "
            "ops decide on strategic accounts."
        )
    strategic.status = StrategicStatus.CONFIRMED if confirm else StrategicStatus.DECLINED
    strategic.decided_by = user
    strategic.decided_at = timezone.now()
    strategic.save(update_fields=["status", "decided_by", "decided_at"])
    return strategic


@transaction.atomic
def potential_estimate_add(*, user, account, annual_amount, source: str):
    from decimal import Decimal, InvalidOperation

    from django.conf import settings

    from keyplan.territory.analysis.params import ParameterError
    from keyplan.territory.models import PotentialEstimate

    not_an_amount = ParameterError(
        f"Enter the potential as an amount a year in {settings.KEYPLAN_CURRENCY}, such as 250,000."
    )
    try:
        amount = Decimal(str(annual_amount).strip())
    except InvalidOperation:
        raise not_an_amount from None
    # "nan", "Infinity" and "1e30" are decimals to Python but no amount: stored, the
    # last could not be read back, and every page reading estimates would fail.
    if not amount.is_finite():
        raise not_an_amount
    if amount < 0:
        raise ParameterError("The potential cannot be negative.")
    if amount >= Decimal(10) ** 16:  # the column's 18 digits, 2 of them cents
        raise ParameterError("That potential is too large to be an amount a year.")
    amount = amount.quantize(Decimal("0.01"))
    if not source.strip():
        raise ParameterError("Say where the estimate comes from.")
    return PotentialEstimate.objects.create(
        account=account, annual_amount=amount, source=source.strip()[:255], entered_by=user
    )
