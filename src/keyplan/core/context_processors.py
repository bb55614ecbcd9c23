from django.conf import settings
from django.utils.functional import SimpleLazyObject


def _unread(user) -> int:
    from keyplan.plans.models import Notification

    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def keyplan(request):
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "KEYPLAN_CURRENCY": settings.KEYPLAN_CURRENCY,
        # Counted only when a page shows it (lazily), once per page.
        "unread_notifications": SimpleLazyObject(lambda: _unread(user)) if signed_in else 0,
    }
