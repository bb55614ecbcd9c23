"""The shared link: the share's id and its random key, signed with the installation's
secret key (``django.core.signing``). A link that is forged, belongs to another
installation, names a share that is gone, expired or revoked, or whose plan is archived
opens nothing, and all of them answer the same 404."""

import secrets

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from keyplan.mutual.models import PlanShare
from keyplan.plans.choices import PlanStatus

SALT = "keyplan.mutual.share"


def new_link_key() -> str:
    return secrets.token_urlsafe(16)[:22]


def share_token(share: PlanShare) -> str:
    return signing.dumps([share.pk, share.link_key], salt=SALT)


def share_path(share: PlanShare) -> str:
    return reverse("mutual_plan", args=[share_token(share)])


def open_share(token: str) -> PlanShare | None:
    """The active share the link names, with its plan and account; None otherwise."""
    try:
        pk, key = signing.loads(token, salt=SALT)
        pk = int(pk)
    except (signing.BadSignature, TypeError, ValueError, OverflowError):
        return None
    share = (
        PlanShare.objects.select_related("plan__account", "plan__owner")
        .filter(pk=pk, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .exclude(plan__status=PlanStatus.ARCHIVED)
        .first()
    )
    if share is None or not constant_time_compare(str(key), share.link_key):
        return None
    return share
