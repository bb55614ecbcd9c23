from django.conf import settings
from django.db import models
from django.urls import reverse

from keyplan.accounts.choices import Attitude, DecisionRole, RelationshipStrength, Seniority
from keyplan.accounts.querysets import AccountDataQuerySet


class Contact(models.Model):
    """A person at a customer account: their title, function and seniority, whom they
    report to, their role in buying decisions, their attitude toward us, and how strong
    our relationship with them is and who of ours holds it. ``is_active`` is false once
    they have left the company (kept, because the history matters)."""

    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="contacts"
    )
    external_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    title = models.CharField(max_length=150, blank=True)
    function = models.CharField(max_length=80, blank=True, help_text="e.g. Finance, IT, Operations")
    seniority = models.CharField(max_length=20, choices=Seniority.choices, blank=True)
    reports_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField("still at the company", default=True)
    decision_role = models.CharField(
        "role in decisions", max_length=20, choices=DecisionRole.choices, blank=True
    )
    attitude = models.CharField(
        "attitude toward us", max_length=20, choices=Attitude.choices, blank=True
    )
    relationship_strength = models.CharField(
        max_length=10, choices=RelationshipStrength.choices, default=RelationshipStrength.NONE
    )
    relationship_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="held_relationships",
        help_text="Who of us holds the relationship",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Optimistic locking: the version a client loaded; every write through the services
    # (and an import's change) adds one, and a write from an older version is refused.
    version = models.PositiveIntegerField(default=1, db_default=1, editable=False)
    objects = AccountDataQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["account", "last_name"]),
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["email"]),
            models.Index(fields=["reports_to"]),
            # The audience analysis reads the active contacts of each role profile: the
            # account and the contact's id come from the index alone (an index-only scan
            # on PostgreSQL; SQLite keeps the row id in every index anyway).
            models.Index(
                fields=["title", "function", "seniority", "account", "id"],
                condition=models.Q(is_active=True),
                name="accounts_contact_role_profile",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contact_detail", args=[self.pk])

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()
