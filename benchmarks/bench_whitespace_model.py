"""Time and peak memory of white space's probability model: learning and scoring today's
white space, and the back-test, by product and by product line, on the database that
DATABASE_URL names (generate it first, e.g. ``keyplan generate --accounts 10000 --seed 42
--months 48 --adoption --no-plans``). Run with ``/usr/bin/time -v`` to see CPU time beside
wall time on a shared machine. Prints one JSON object."""

import json
import os
import resource
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")
django.setup()

from keyplan.territory.analysis.propensity_report import backtest, predict  # noqa: E402


def main() -> None:
    out = {}
    for by in ("product", "line"):
        started = time.time()
        prediction = predict(by=by)
        out[f"predict_{by}_s"] = round(time.time() - started, 1)
        started = time.time()
        result = backtest(by=by)
        out[f"backtest_{by}_s"] = round(time.time() - started, 1)
        out[f"backtest_{by}"] = result.as_dict()
        out[f"cells_{by}"] = len(prediction.probability)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
