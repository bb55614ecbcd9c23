from django.http import Http404, HttpResponse
from django.views.decorators.http import require_http_methods

from keyplan.outputs.export import UnknownFormat, attachment, visible_export


@require_http_methods(["GET"])
def plan_export_view(request, pk: int, fmt: str):
    """The plan page's download buttons: the plan as a file, 404 for a plan the user
    cannot see."""
    try:
        exported = visible_export(pk=pk, user=request.user, fmt=fmt)
    except UnknownFormat as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    if exported is None:
        raise Http404("No such plan.")
    response = HttpResponse(exported.content, content_type=exported.content_type)
    return attachment(response, exported.filename)
