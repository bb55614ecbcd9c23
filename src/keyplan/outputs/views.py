from django.http import Http404, HttpResponse
from django.views.decorators.http import require_http_methods

from keyplan.outputs.export import (
    UnknownFormat,
    attachment,
    review_pack_export,
    visible_export,
    visible_territory_export,
)


def _file_response(export, *, pk, user, fmt, missing: str):
    try:
        exported = export(pk=pk, user=user, fmt=fmt)
    except UnknownFormat as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    if exported is None:
        raise Http404(missing)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    return attachment(response, exported.filename)


@require_http_methods(["GET"])
def plan_export_view(request, pk: int, fmt: str):
    """The plan page's download buttons: the plan as a file, 404 for a plan the user
    cannot see."""
    return _file_response(
        visible_export, pk=pk, user=request.user, fmt=fmt, missing="No such plan."
    )


@require_http_methods(["GET"])
def territory_plan_export_view(request, pk: int, fmt: str):
    """The territory plan page's download buttons: 404 for a plan the user cannot see."""
    return _file_response(
        visible_territory_export,
        pk=pk,
        user=request.user,
        fmt=fmt,
        missing="No such territory plan.",
    )


@require_http_methods(["GET"])
def review_pack_view(request):
    """The team board's "review pack" links: ``?rep=ID&quarter=2027-Q1&format=pptx|pdf``;
    404 for a rep whose plans the user does not see."""
    from keyplan.outputs.review_pack import PackRefused

    try:
        exported = review_pack_export(
            rep_id=request.GET.get("rep", ""),
            quarter=request.GET.get("quarter", ""),
            user=request.user,
            fmt=request.GET.get("format", ""),
        )
    except PackRefused as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    if exported is None:
        raise Http404("No such rep.")
    response = HttpResponse(exported.content, content_type=exported.content_type)
    return attachment(response, exported.filename)
