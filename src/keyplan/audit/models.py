"""What happened to the data and who did it: the audit log, and the recycle bin that keeps
deleted records restorable for a while."""

import datetime

from django.conf import settings
from django.db import models

from keyplan.audit.choices import AuditAction


class AuditEvent(models.Model):
    """One security-relevant event: a delete or restore, an import, a change to a user's
    role, team, manager, active flag or password, or a sign-in (good, failed or locked
    out). Kept for the administrators who must answer "who did that, when, from where"."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Who did it (empty for the command line or an unknown sign-in name)",
    )
    username = models.CharField(max_length=150, blank=True, help_text="As typed or as it was")
    action = models.CharField(max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True, help_text="What kind of record")
    object_id = models.CharField(max_length=40, blank=True)
    object_label = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True)
    source = models.CharField(
        max_length=80, blank=True, help_text="From where: the client's address, or command line"
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or '—'} {self.get_action_display()}"


class DeletedRecord(models.Model):
    """A record in the recycle bin: an account, contact, opportunity or plan part that was
    deleted, with a full serialized copy of it and of everything that went with it, so it
    can be put back as it was within the retention period, after which it is purged."""

    deleted_at = models.DateTimeField(auto_now_add=True, db_index=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_type = models.CharField(max_length=60, help_text="e.g. Account, Contact")
    object_id = models.CharField(max_length=40)
    object_label = models.CharField(max_length=255)
    summary = models.TextField(blank=True, help_text="What went with it, in words")
    snapshot = models.JSONField(help_text="Django-serialized records, parents first")
    relinks = models.JSONField(
        default=list, help_text="References other records lost (set to empty) by the delete"
    )
    account_ids = models.JSONField(
        default=list, help_text="Accounts whose sales roll-up changes with it"
    )

    class Meta:
        ordering = ["-deleted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_label}"

    @property
    def purged_after(self):
        """The last moment it can be restored: then ``purge_deleted`` removes it."""
        from keyplan.audit.bin import RETENTION_DAYS

        return self.deleted_at + datetime.timedelta(days=RETENTION_DAYS)
