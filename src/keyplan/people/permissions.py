"""Who may change users and settings: admins and sales ops only."""

from functools import wraps

from django.core.exceptions import PermissionDenied


def can_manage_settings(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.manages_settings)


def settings_managers_only(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_manage_settings(request.user):
            raise PermissionDenied("Only administrators and sales operations change users.")
        return view(request, *args, **kwargs)

    return wrapper
