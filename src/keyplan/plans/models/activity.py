from django.conf import settings
from django.db import models

from keyplan.plans.choices import ChangeAction
from keyplan.plans.models.plan import AccountPlan, PlanElementQuerySet


class PlanChange(models.Model):
    """One recorded change to a plan or one of its parts: who, when, what, and each
    changed field's value before and after. The plan's activity feed."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    action = models.CharField(max_length=10, choices=ChangeAction.choices)
    subject = models.CharField(max_length=30, help_text="What kind of thing changed")
    object_id = models.PositiveBigIntegerField(null=True)
    label = models.CharField(max_length=255)
    changes = models.JSONField(default=dict, help_text="{field: [before, after]}")
    # A change made by one of the customer's people on the plan shared with them
    # (keyplan.mutual): their name as it was then, since they are no user of ours.
    by_name = models.CharField("by (customer)", max_length=200, blank=True)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["plan", "-at"]),
            models.Index(fields=["subject", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.subject} {self.label}"


class Notification(models.Model):
    """A message for one of our people about something that needs them or concerns them
    (an investment case to decide, a decision on their case)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.text
