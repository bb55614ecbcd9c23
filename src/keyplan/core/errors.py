"""Error pages: a plain message, JSON under /api/, never a stack trace."""

from django.http import JsonResponse
from django.shortcuts import render


def _respond(request, status: int, title: str, message: str):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    return render(
        request, "error.html", {"title": title, "message": message, "status": status}, status=status
    )


def bad_request(request, exception=None):
    return _respond(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request, exception=None):
    return _respond(request, 403, "Not allowed", "You are not allowed to do this.")


def page_not_found(request, exception=None):
    return _respond(
        request, 404, "Not found", "There is nothing here, or it is not visible to you."
    )


def server_error(request):
    # No template context processors here: the failure may be in one of them.
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Something went wrong on our side."}, status=500)
    from django.http import HttpResponseServerError
    from django.template import loader

    html = loader.get_template("error.html").render(
        {"title": "Something went wrong", "message": "The error was logged.", "status": 500}
    )
    return HttpResponseServerError(html)
