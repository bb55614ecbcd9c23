"""White-space predictions as pages, the API, the command line and the background worker
ask for them: cached per sales version like the other analyses (a model is learned once
per change of the facts, not per request), and each background run recorded so quarters
can be compared.

Learning takes seconds to minutes, so a page never learns while a person waits: it reads
``latest_predictions`` / ``latest_backtest``, which answer from the model of today's
facts when it is in the cache, else from the last model learned (kept under a key that
does not change with the facts, with the date it was learned), and make sure a
background relearn is queued. The command line (``keyplan analyze whitespace``) and the
background worker call ``whitespace_predictions`` / ``whitespace_backtest``, which learn
when the cache has no model of today's facts."""

import datetime
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from keyplan.territory.analysis.cache import FORMAT, cached, peek
from keyplan.territory.analysis.propensity import DEFAULT_HORIZON
from keyplan.territory.analysis.propensity_report import Backtest, Prediction, backtest, predict

MODEL_RUN = "whitespace_model"  # AnalysisRun.kind of a recorded learning run
QUEUED_FOR = 600  # seconds a queued relearn is trusted to be on its way


def _params_key(params: dict) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(params.items()))


def _latest_key(name: str, params: dict) -> str:
    return f"keyplan:latest:{FORMAT}:{name}:{_params_key(params)}"


def _stamp_key(name: str, params: dict) -> str:
    return _latest_key(name, params) + ":learned-at"


def _remember(name: str, params: dict, learn):
    """Learn, and keep the result as the latest of its kind whatever the facts' version
    (what a page shows while the next model is being learned)."""
    from keyplan.sales.rollup import sales_version

    version = sales_version()
    result = learn()
    cache.set(
        _latest_key(name, params),
        {"result": result, "version": version, "learned_at": timezone.now()},
        None,
    )
    cache.set(_stamp_key(name, params), timezone.now().isoformat(), None)
    return result


def whitespace_predictions(*, by: str = "product", horizon: int = DEFAULT_HORIZON) -> Prediction:
    """Today's white space scored (a territory statistic: the same for whoever looks);
    learned now when the cache has no model of today's facts."""
    params = {"by": by, "horizon": horizon}
    return cached(
        "whitespace_predictions",
        None,
        params,
        lambda: _remember(
            "whitespace_predictions", params, lambda: predict(by=by, horizon=horizon)
        ),
        memo=True,
    )


def whitespace_backtest(*, by: str = "product") -> Backtest:
    """The back-test of the latest 12 months; learned now when not in the cache."""
    params = {"by": by}
    return cached(
        "whitespace_backtest",
        None,
        params,
        lambda: _remember("whitespace_backtest", params, lambda: backtest(by=by)),
    )


@dataclass
class Learned:
    """What a page shows of a learned model: ``result`` (None when no model was ever
    learned), whether it was learned from today's facts, and when it was learned."""

    result: object
    current: bool
    learned_at: datetime.datetime | None = None

    @property
    def note(self) -> str:
        """In words, for a page: empty when the model is today's."""
        if self.current:
            return ""
        if self.result is None:
            return (
                "The model that gives each white-space cell its probability is being "
                "learned from the latest sales. Until then a white-space cell shows the "
                "share of similar accounts that buy it × their typical spend; reload this "
                "page in a few minutes to see probabilities and expected values."
            )
        day = timezone.localtime(self.learned_at).date()
        return (
            f"These probabilities were learned on {day.day} {day:%b %Y} from the sales "
            "before the latest change; they are being relearned from today's sales — "
            "reload this page in a few minutes for the new figures."
        )


def _latest(name: str, params: dict, queue: bool = True) -> Learned:
    """Never learns: today's model from the cache, else the last one learned, with a
    relearn queued in the background (unless ``queue`` is false)."""
    found = peek(name, None, params, memo=True)
    if found is not None:
        return Learned(found, True)
    kept = cache.get(_latest_key(name, params))
    if queue:
        queue_learning(name, params, ever_learned=kept is not None)
        found = peek(
            name, None, params, memo=True
        )  # a worker in this process (tests) may have learned
        if found is not None:
            return Learned(found, True)
    if kept is None:
        return Learned(None, False)
    return Learned(kept["result"], False, kept["learned_at"])


def latest_predictions(
    *, by: str = "product", horizon: int = DEFAULT_HORIZON, queue: bool = True
) -> Learned:
    return _latest("whitespace_predictions", {"by": by, "horizon": horizon}, queue)


def ranking_model(*, by: str, horizon: int) -> Prediction | None:
    """The model white space's ranking by expected value uses: today's when learned,
    else the last one learned (None before any); never learns, never queues (the page
    that shows the ranking queues the relearn)."""
    return latest_predictions(by=by, horizon=horizon, queue=False).result


def ranking_key(params: dict) -> dict:
    """The cache key of a white-space result: its parameters, and — when its accounts are
    ranked by a model's expected value — which model, so a ranking computed with the
    last model gives way to today's as soon as it is learned. Reads a few bytes, never a
    model."""
    key = {k: str(v) for k, v in params.items()}
    if params.get("horizon") is not None:
        from keyplan.territory.analysis.cache import cache_key

        model = {"by": params.get("by", "product"), "horizon": params["horizon"]}
        # The model by when it was learned, today's included: the same model keeps the
        # same key after a sales change, so while today's is relearned a page may be
        # answered with the ranking computed before the change (analysis.cache).
        stamp = cache.get(_stamp_key("whitespace_predictions", model))
        if stamp is not None:
            key["model"] = stamp
        elif cache.has_key(cache_key("whitespace_predictions", None, model)):
            key["model"] = "today's"
        else:
            key["model"] = "none"
    return key


def latest_backtest(*, by: str = "product") -> Learned:
    return _latest("whitespace_backtest", {"by": by})


# What the warm-up queued after every sales change learns (tasks.warm_analyses).
WARMED = {
    ("whitespace_predictions", "by=product,horizon=12"),
    ("whitespace_predictions", "by=line,horizon=12"),
    ("whitespace_backtest", "by=product"),
    ("whitespace_backtest", "by=line"),
}


def queue_learning(name: str, params: dict, ever_learned: bool = False) -> None:
    """Make sure a background relearn is on its way, queuing one per version of the facts
    and kind of model. The pages' defaults are relearned by the warm-up queued after
    every committed sales change, so a page queues them only when no model was ever
    learned and no warm-up is pending (a new database): a page never writes to the
    database while an import holds it only to ask for what the warm-up will do. Other
    choices (another horizon) are queued when someone first asks. A queue that cannot be
    written (the database busy) is tried again by the next visitor; the page answers
    regardless."""
    import logging

    from django.db import DatabaseError

    from keyplan.sales.rollup import sales_version
    from keyplan.territory.tasks import WARMING_KEY, learn_whitespace

    if (name, _params_key(params)) in WARMED and (
        ever_learned or cache.get(WARMING_KEY) is not None
    ):
        return
    version = sales_version()
    key = f"keyplan:learning:{version}:{name}:{_params_key(params)}"
    if not cache.add(key, True, QUEUED_FOR):
        return
    try:
        learn_whitespace.enqueue(version, name, params)
    except DatabaseError as exc:
        cache.delete(key)
        logging.getLogger(__name__).warning("white-space relearn not queued: %s", exc)


def learn(name: str, params: dict):
    """Learn (or read from the cache) the model ``name`` of today's facts."""
    if name == "whitespace_predictions":
        return whitespace_predictions(**params)
    if name == "whitespace_backtest":
        return whitespace_backtest(**params)
    raise ValueError(f"No white-space model is called {name!r}.")


def record_model_run(*, by: str = "product", horizon: int = DEFAULT_HORIZON, user=None):
    """Learn (or read from the cache) today's predictions and the back-test, and record
    the run: its date, horizon, what it learned from and the back-test's figures."""
    from keyplan.territory.models import AnalysisRun

    started = time.monotonic()
    prediction = whitespace_predictions(by=by, horizon=horizon)
    result = whitespace_backtest(by=by)
    return AnalysisRun.objects.create(
        kind=MODEL_RUN,
        parameters={"by": by, "horizon": horizon},
        summary={
            "predicted_from": prediction.as_of.isoformat(),
            "training_cells": prediction.training_cells,
            "training_bought": prediction.training_bought,
            "expected_purchases": round(float(prediction.probability.sum()), 1),
            "expected_value": f"{float(prediction.value.sum()):.2f}",
            "backtest": result.as_dict(),
        },
        seconds=round(time.monotonic() - started, 3),
        created_by=user,
    )
