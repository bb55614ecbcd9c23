"""Sign-ins and permission-relevant changes to users, recorded whatever path made them
(sign-in form, token endpoint, user pages, imports of users, the admin shell). Signals
here because these events come from Django and django-axes, and because a user's role
may be changed by several services that must not each remember to log it."""

from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from keyplan.audit.choices import AuditAction
from keyplan.audit.context import client_address
from keyplan.audit.context import current as current_context
from keyplan.audit.events import audit_record
from keyplan.core.words import EMPTY, plural

WATCHED = ("role", "team_id", "manager_id", "is_active", "is_superuser", "is_staff")


def _source(request) -> str | None:
    return client_address(request) if request is not None else None


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit_record(action=AuditAction.SIGNED_IN, user=user, obj=user, source=_source(request))


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    name = str(credentials.get("username") or "")[:150]
    audit_record(
        action=AuditAction.SIGN_IN_FAILED,
        username=name,
        object_type="User",
        object_label=name,
        summary="Wrong user name or password.",
        source=_source(request),
    )


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """One line per lockout: django-axes signals again at every refused attempt while the
    lock lasts, which would bury the log under copies of the same event."""
    from django.utils import timezone

    from keyplan.audit.models import AuditEvent

    name = str(username or "")[:150]
    source = ip_address or _source(request) or current_context()[1]
    cool_off = get_cool_off()
    if AuditEvent.objects.filter(
        action=AuditAction.LOCKED_OUT,
        username=name,
        source=source[:80],
        at__gte=timezone.now() - cool_off,
    ).exists():
        return
    audit_record(
        action=AuditAction.LOCKED_OUT,
        username=name,
        object_type="User",
        object_label=name,
        summary=(
            "Too many wrong passwords from this address: signing in is locked for "
            f"{plural(int(cool_off.total_seconds() // 60), 'minute')}."
        ),
        source=source,
    )


def _words(user, attname: str, value) -> str:
    if value is None or value == "":
        return EMPTY
    if attname == "role":
        return str(dict(type(user)._meta.get_field("role").choices).get(value, value))
    if attname in ("team_id", "manager_id"):
        field = type(user)._meta.get_field(attname[:-3])
        found = field.related_model._base_manager.filter(pk=value).first()
        return str(found) if found else f"#{value}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@receiver(pre_save, dispatch_uid="keyplan_audit_user_before")
def _user_before(sender, instance, raw=False, **kwargs):
    from django.contrib.auth import get_user_model

    if raw or sender is not get_user_model() or not instance.pk:
        return
    stored = sender._base_manager.filter(pk=instance.pk).values(*WATCHED, "password").first()
    instance._audit_before = stored


@receiver(post_save, dispatch_uid="keyplan_audit_user_after")
def _user_after(sender, instance, created, raw=False, **kwargs):
    from django.contrib.auth import get_user_model

    if raw or sender is not get_user_model():
        return
    if created:
        audit_record(
            action=AuditAction.USER_CHANGED,
            obj=instance,
            summary=f"User created with role {_words(instance, 'role', instance.role)}.",
        )
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if not before:
        return
    changes = []
    for attname in WATCHED:
        old, new = before[attname], getattr(instance, attname)
        if old != new:
            name = type(instance)._meta.get_field(attname.removesuffix("_id")).verbose_name
            changes.append(
                f"{name}: {_words(instance, attname, old)} → {_words(instance, attname, new)}"
            )
    if changes:
        audit_record(
            action=AuditAction.USER_CHANGED, obj=instance, summary="; ".join(changes) + "."
        )
    if before["password"] != instance.password:
        audit_record(action=AuditAction.PASSWORD_SET, obj=instance, summary="Password set.")
