from django.contrib.auth.middleware import LoginRequiredMiddleware as _Base


class LoginRequiredMiddleware(_Base):
    """Every page needs a signed-in user. The API answers 401 itself (token or session
    authentication through DRF), so it is left to DRF instead of redirected to a login
    form."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class DatabaseBusyMiddleware:
    """A view that could not get the database's write lock in time answers 503 with
    ``Retry-After`` (``core.errors.busy_response``), also with ``KEYPLAN_DEBUG`` on, where
    Django would otherwise show its debug page. (Outside views, the 500 handler does the
    same.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from keyplan.core.errors import busy_response, database_busy

        if database_busy(exception):
            return busy_response(request)
        return None
