"""Writing audit events: one function every part of keyplan calls."""

from keyplan.audit import context
from keyplan.audit.models import AuditEvent


def audit_record(
    *,
    action: str,
    user=None,
    username: str | None = None,
    obj=None,
    object_type: str = "",
    object_id="",
    object_label: str = "",
    summary: str = "",
    source: str | None = None,
) -> AuditEvent:
    """Record one event. ``user`` and ``source`` default to whoever is acting in the current
    request (or the command line)."""
    actor, where = context.current()
    if user is None:
        user = actor
    if not getattr(user, "is_authenticated", False) or not getattr(user, "pk", None):
        user = None
    if obj is not None:
        object_type = object_type or obj._meta.verbose_name.capitalize()
        object_id = object_id or obj.pk
        object_label = object_label or str(obj)
    return AuditEvent.objects.create(
        user=user,
        username=(username if username is not None else (user.get_username() if user else ""))[
            :150
        ],
        action=action,
        object_type=object_type[:60],
        object_id=str(object_id or "")[:40],
        object_label=object_label[:255],
        summary=summary,
        source=(source if source is not None else where)[:80],
    )
