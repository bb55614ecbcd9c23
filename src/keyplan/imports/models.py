from django.conf import settings
from django.db import models
from django.urls import reverse


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded, not yet run"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    """One file brought into keyplan (or checked in a dry run): who, when, which file
    (name and SHA-256), which kind and mapping, and what happened — counts, errors and the
    rejected rows. Kept as the import history; never edited after it finishes."""

    kind = models.CharField(max_length=20)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    stored_file = models.CharField(max_length=500, help_text="Path under the data directory")
    mapping = models.JSONField(default=dict, blank=True)
    options = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(default=False)
    skip_invalid = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(
        default=0, help_text="Valid rows keyplan cannot place (an opportunity without an account)"
    )
    skipped_rows = models.JSONField(
        default=list, blank=True, help_text="The first 1,000 skipped rows, with the reason"
    )
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="The first 1,000 errors")
    rejects_file = models.CharField(max_length=500, blank=True)
    failure = models.TextField(blank=True, help_text="Why the file could not be imported at all")
    worker_lost = models.BooleanField(
        default=False,
        help_text="Failed because the background worker stopped before it finished (the "
        "file itself may be fine: it can be started again)",
    )
    committed = models.BooleanField(default=False)
    seconds = models.FloatField(default=0)
    write_lock_seconds = models.FloatField(
        null=True,
        blank=True,
        help_text="How long the final write kept other writers waiting (sales imports); "
        "for one written in steps, the longest step",
    )
    write_steps = models.PositiveIntegerField(
        default=0,
        help_text="How many short transactions a large sales import was written in (0: one)",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} from {self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("import_detail", args=[self.pk])

    @property
    def started_by(self) -> str:
        """Who started it, in words: a user, or "command line" for ``keyplan import``."""
        if self.created_by_id:
            return str(self.created_by)
        return "command line" if (self.options or {}).get("via") == "command line" else "—"

    @property
    def kind_words(self) -> str:
        """The kind as a user reads it: "opportunity products", not the code name."""
        return self.kind.replace("_", " ")

    @property
    def errors_shown(self) -> list[dict]:
        """The first 200 errors, each naming its field by the label the mapping page
        shows ("Close date"), not by its code (``close_date``)."""
        from keyplan.imports.kinds import KINDS
        from keyplan.imports.kinds.base import field_label

        kind_cls = KINDS.get(self.kind)
        return [
            {**e, "column": field_label(kind_cls, e["column"]) if kind_cls else e["column"]}
            for e in self.errors[:200]
        ]

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)


class SavedMapping(models.Model):
    """A named column mapping for one kind of file ("ERP invoice lines"), reused for the
    next file from the same source."""

    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20)
    columns = models.JSONField(default=dict, help_text="canonical field → source column")
    date_format = models.CharField(max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="saved_mapping_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"
