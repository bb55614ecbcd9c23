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
