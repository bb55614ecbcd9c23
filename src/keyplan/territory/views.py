from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from keyplan.territory.analysis.cache import cached
from keyplan.territory.analysis.pareto import pareto
from keyplan.territory.forms import AnalysisForm

CHART_ACCOUNTS = 50
TABLE_ROWS = 100


@require_http_methods(["GET"])
def territory(request):
    """Which accounts matter: the Pareto chart, the concentration figures and the ranking
    (first 100; all of them through the API and `keyplan analyze pareto --json`)."""
    form = AnalysisForm(request.GET or None, user=request.user)
    result = None
    if not request.GET or form.is_valid():
        if not request.GET:
            form = AnalysisForm(
                {"threshold": 80, "level": "account", "scope": "territory"}, user=request.user
            )
            form.is_valid()
        try:
            params = form.params()
        except Exception as exc:  # ValidationError from the window
            form.add_error(None, exc)
            params = None
        if params:
            key = {k: str(v) for k, v in params.items()}
            result = cached(
                "pareto", request.user, key, lambda: pareto(user=request.user, **params)
            )
    chart = None
    if result and result.rows:
        top = result.rows[:CHART_ACCOUNTS]
        chart = {
            "names": [r.name for r in top],
            "revenue": [float(r.revenue) for r in top],
            "cumulative": [round(r.cumulative_share * 100, 2) for r in top],
            "core": [r.in_core for r in top],
            "threshold": round(result.threshold * 100, 1),
        }
    return render(
        request,
        "territory/territory.html",
        {
            "form": form,
            "result": result,
            "rows": result.rows[:TABLE_ROWS] if result else [],
            "chart": chart,
            "nav": "territory",
        },
    )
