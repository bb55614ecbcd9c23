"""A person's read (GET or HEAD) may be answered from the facts before a change while the
change's warm-up runs (``analysis.cache``): the page says so at its top (``base.html``
reads ``request.earlier_figures``) and every response, the API's included, carries it in
headers: ``Keyplan-Figures-Computed-At`` (when the oldest result served was computed)
and ``Keyplan-Facts-Changed-At`` (the change being taken in), both ISO 8601 in UTC, and
``Keyplan-Figures-Note`` in words. Writes always compute from today's facts."""

import datetime

from keyplan.territory.analysis.cache import EarlierFigures, answering_request, done


class EarlierFiguresMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        figures = request.earlier_figures = EarlierFigures()
        token = answering_request(figures)
        try:
            response = self.get_response(request)
        finally:
            done(token)
        if figures:
            response["Keyplan-Figures-Computed-At"] = _utc(min(figures.computed_at))
            response["Keyplan-Facts-Changed-At"] = _utc(max(figures.changed_at))
            response["Keyplan-Figures-Note"] = (
                "These figures were computed from the facts before the change of "
                f"{_utc(max(figures.changed_at))}, which is being taken in; "
                "ask again in a few minutes for figures that include it."
            )
        return response


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="seconds")
