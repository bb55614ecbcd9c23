from django.contrib.auth.middleware import LoginRequiredMiddleware as _Base


class LoginRequiredMiddleware(_Base):
    """Every page needs a signed-in user. The API answers 401 itself (token or session
    authentication through DRF), so it is left to DRF instead of redirected to a login
    form."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
