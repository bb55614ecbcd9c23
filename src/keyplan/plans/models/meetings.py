from django.conf import settings
from django.db import models

from keyplan.plans.choices import MeetingStatus
from keyplan.plans.models.execution import ExecutivePairing
from keyplan.plans.models.plan import AccountPlan, PlanElementQuerySet


class ExecutiveMeetingRequest(models.Model):
    """A first-line manager (or the plan's owner, or sales ops) asks one of our
    executives to meet the customer's leaders on a strategic account, for a purpose and
    within a wished window. The executive accepts with a date, time and place, or
    declines with a reason; an accepted meeting is a *planned* executive interaction
    (``interaction``), so the executive program counts it, and it reaches calendars.
    The briefing for it is read from the plan whenever it is opened."""

    plan = models.ForeignKey(
        AccountPlan, on_delete=models.CASCADE, related_name="executive_meeting_requests"
    )
    pairing = models.ForeignKey(
        ExecutivePairing,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_requests",
        help_text="The leader-to-leader pairing the meeting keeps, when there is one",
    )
    executive = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="executive_meeting_requests",
        help_text="Our executive asked to meet",
    )
    contacts = models.ManyToManyField(
        "accounts.Contact",
        related_name="executive_meeting_requests",
        help_text="The customer's people to meet",
    )
    purpose = models.TextField("purpose and agenda")
    wished_from = models.DateField("wished from")
    wished_until = models.DateField("wished by")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10,
        choices=MeetingStatus.choices,
        default=MeetingStatus.REQUESTED,
        db_index=True,
    )
    starts_at = models.DateTimeField("date and time", null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(default=60)
    place = models.CharField("place or link", max_length=255, blank=True)
    reason = models.CharField(
        max_length=255, blank=True, help_text="Why it was declined or withdrawn"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    interaction = models.OneToOneField(
        "accounts.Interaction",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meeting_request",
        help_text="The planned (then held) executive meeting, once accepted",
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["-asked_at", "-pk"]
        indexes = [models.Index(fields=["executive", "status"])]

    def __str__(self) -> str:
        return f"Executive meeting at {self.plan.account}" if self.plan_id else "Executive meeting"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("meeting_detail", args=[self.pk])

    @property
    def ends_at(self):
        import datetime

        return self.starts_at + datetime.timedelta(minutes=self.minutes) if self.starts_at else None

    @property
    def is_open(self) -> bool:
        return self.status in (MeetingStatus.REQUESTED, MeetingStatus.ACCEPTED)

    @property
    def was_cancelled(self) -> bool:
        """Accepted with a date, then called off by the executive (recorded declined,
        with the reason): it had a time, which a request declined unanswered never had."""
        return self.status == MeetingStatus.DECLINED and self.starts_at is not None

    @property
    def status_label(self) -> str:
        """The status as people say it: "Cancelled" for a meeting the executive accepted
        and then called off, else the status's label."""
        return "Cancelled" if self.was_cancelled else self.get_status_display()
