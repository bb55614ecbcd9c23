from django.conf import settings
from django.db import models

from keyplan.accounts.choices import InteractionKind
from keyplan.accounts.querysets import AccountDataQuerySet


class Interaction(models.Model):
    """A touchpoint with a customer — meeting, call, email or event — on a date, between
    some of our people and one or more of the account's contacts. ``is_executive`` marks
    an executive-to-executive touch (leader to leader)."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="interactions"
    )
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    kind = models.CharField(max_length=10, choices=InteractionKind.choices)
    date = models.DateField()
    subject = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    contacts = models.ManyToManyField("accounts.Contact", related_name="interactions", blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="interactions",
        blank=True,
        help_text="Our people who took part",
    )
    is_executive = models.BooleanField("executive-to-executive", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    # Optimistic locking: the version a client loaded; every write through the services
    # (and an import's change) adds one, and a write from an older version is refused.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    objects = AccountDataQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["account", "-date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.date:%Y-%m-%d}"
