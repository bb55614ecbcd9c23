"""Background work of the territory app: after the facts change, compute what the
territory pages show sales ops and executives, so their first visit is answered from the
cache (at 100,000 accounts white space takes a few seconds to compute)."""

from django.core.cache import cache
from django_tasks import task

from keyplan.operations.recovery import when_worker_lost

WARMING_KEY = "keyplan:analyses-warming"
WARMING_SECONDS = 600  # the one-at-a-time key lapses after this, whatever became of the task


@task()
def warm_analyses(version: int) -> str:
    from keyplan.sales.rollup import sales_version

    if version != sales_version():
        # Newer facts arrived while this warm-up held the one-at-a-time key, so none was
        # queued for them: hand over to one for today's facts (else the white-space page
        # says "being learned" for ten minutes while nothing is learning).
        from keyplan.forecast.tasks import release_warm_up_claim
        from keyplan.territory.apps import _queue_warm_up

        release_warm_up_claim(version)  # the forecast of today's facts goes with theirs
        cache.delete(WARMING_KEY)
        _queue_warm_up(None, sales_version())
        return "stale"
    from keyplan.forecast.tasks import release_warm_up_claim
    from keyplan.territory import warm_up

    try:
        with warm_up.beating(version):  # pages show the figures before meanwhile
            outcome = _warm(version)
    except BaseException:
        warm_up.release(version)  # failed: pages compute again, as without a warm-up
        raise
    finally:
        # When a step before the forecast failed, pages may ask for the forecast again.
        release_warm_up_claim(version)
    if version != sales_version():
        # Newer facts arrived while this warm-up ran: it held the one-at-a-time key, so
        # none was queued for them. Their own, now (else their pages compute on a visit).
        from keyplan.territory.apps import _queue_warm_up

        _queue_warm_up(None, sales_version())
    return outcome


def _warm(version: int) -> str:
    from keyplan.territory.analysis.params import Scope, Window
    from keyplan.territory.views import (
        account_wallets,
        pareto_page,
        territory_aspirational,
        whitespace_page_data,
        whitespace_peer_values,
    )

    window = Window.default()
    # The parameters the pages start with, for users who see everything.
    pareto_page(
        None,
        {
            "window": window,
            "scope": Scope(),
            "level": "account",
            "threshold": 0.8,
            "basis": "all",
        },
    )
    # White space as the page starts, ranked by the last model learned until today's is.
    first_page = {
        "window": window,
        "scope": Scope(),
        "by": "product",
        "tier": None,
        "owner": None,
        "industry": None,
        "product_line": None,
        "horizon": 12,  # accounts ranked by the model's expected value, as the page asks
    }
    whitespace_page_data(None, first_page, 1)
    # Potential and share of wallet, read by every account page and account plan.
    account_wallets([0], window)
    territory_aspirational(10, window)  # the strategic page's aspirational list
    whitespace_peer_values(window)  # what every account page's white-space row reads
    # White space's probabilities and back-test, learned once per change of the facts and
    # recorded so that quarters can be compared (the white-space page reads both).
    from keyplan.forecast.tasks import forecast_in_warm_up
    from keyplan.territory.analysis.facts import forget, reuse
    from keyplan.territory.predictions import (
        record_model_run,
        whitespace_backtest,
        whitespace_predictions,
    )

    with reuse():  # the four runs read the monthly sales once (per version of the facts)
        try:
            record_model_run(by="product")
            whitespace_page_data(None, first_page, 1)  # ranked by today's model now
            # The page's other choice, by product line (learned in far less time than by
            # product).
            whitespace_predictions(by="line")
            whitespace_backtest(by="line")
        finally:
            # The forecast from the same read of the monthly roll-up (a task of its own
            # read it again: 15 s at 100,000 accounts); computed even if white space
            # failed, as when it was a task of its own. White space's history is not
            # needed any more: its memory goes back first (by line, 0.25 GB at 100,000
            # accounts).
            forget("history")
            forecast_in_warm_up(version)
    cache.delete(WARMING_KEY)
    return "warmed"


@task()
def learn_whitespace(version: int, name: str, params: dict) -> str:
    """Learn one white-space model a page asked for (a horizon or level the warm-up does
    not learn, or before the warm-up got to it): pages never learn while a person waits."""
    from keyplan.sales.rollup import sales_version
    from keyplan.territory.predictions import learn

    if version != sales_version():
        return "stale"  # newer facts arrived; the next page visit queues their own
    learn(name, params)
    return "learned"


# Filling caches is safe to do again: a worker that stopped half-way left nothing wrong.
when_worker_lost(warm_analyses, rerun=True, attempts=3)
when_worker_lost(learn_whitespace, rerun=True, attempts=3)
