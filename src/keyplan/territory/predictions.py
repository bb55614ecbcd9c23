"""White-space predictions as pages, the API, the command line and the background worker
ask for them: cached per sales version like the other analyses (a model is learned once
per change of the facts, not per request), and each background run recorded so quarters
can be compared."""

import time

from keyplan.territory.analysis.cache import cached
from keyplan.territory.analysis.propensity import DEFAULT_HORIZON
from keyplan.territory.analysis.propensity_report import Backtest, Prediction, backtest, predict

MODEL_RUN = "whitespace_model"  # AnalysisRun.kind of a recorded learning run


def whitespace_predictions(*, by: str = "product", horizon: int = DEFAULT_HORIZON) -> Prediction:
    """Today's white space scored (a territory statistic: the same for whoever looks)."""
    return cached(
        "whitespace_predictions",
        None,
        {"by": by, "horizon": horizon},
        lambda: predict(by=by, horizon=horizon),
    )


def whitespace_backtest(*, by: str = "product") -> Backtest:
    """The back-test of the latest 12 months."""
    return cached("whitespace_backtest", None, {"by": by}, lambda: backtest(by=by))


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
