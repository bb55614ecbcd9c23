import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from keyplan.reviews.choices import Outcome, SittingStatus
from keyplan.salesplan.periods import Period


class SittingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Sittings ``user`` may see, by keyplan's one visibility rule (people.scope):
        those who see everything see every sitting; anyone else the sittings of the reps
        in their scope (a rep their own, a manager their people's) and those they chair."""
        from keyplan.people.scope import scope_for

        scope = scope_for(user)
        if scope.everything:
            return self
        if not scope.user_ids:
            return self.none()
        return self.filter(Q(rep_id__in=scope.user_ids) | Q(manager_id=user.pk))

    def live(self):
        """Not cancelled: what occupies people's time."""
        return self.exclude(status=SittingStatus.CANCELLED)


class ReviewSitting(models.Model):
    """One quarterly review sitting: a rep presents all their strategic account plans
    to their manager in one session, about half an hour per plan (the SAP article's
    "batch your SAP reviews")."""

    rep = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_sittings"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_sittings"
    )
    fiscal_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(db_index=True)
    minutes = models.PositiveSmallIntegerField("duration (minutes)")
    status = models.CharField(
        max_length=10, choices=SittingStatus.choices, default=SittingStatus.SCHEDULED
    )
    location = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SittingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["fiscal_year", "quarter", "rep"])]

    def __str__(self) -> str:
        return f"{self.period.name} review of {self.rep}"

    def get_absolute_url(self) -> str:
        return reverse("review_sitting", args=[self.pk])

    @property
    def period(self) -> Period:
        return Period(self.fiscal_year, self.quarter)

    @property
    def ends_at(self) -> datetime.datetime:
        return self.starts_at + datetime.timedelta(minutes=self.minutes)

    def state(self, now: datetime.datetime | None = None) -> str:
        """The status a person reads: a scheduled sitting whose end has passed without
        being held is missed."""
        now = now or timezone.now()
        if self.status == SittingStatus.SCHEDULED and self.ends_at < now:
            return SittingStatus.MISSED
        return self.status

    def state_label(self, now: datetime.datetime | None = None) -> str:
        return SittingStatus(self.state(now)).label


class ReviewItem(models.Model):
    """One account plan on a sitting's agenda, and what its review decided: the outcome,
    the decisions in words, and the version of the plan kept when the sitting closed."""

    sitting = models.ForeignKey(ReviewSitting, on_delete=models.CASCADE, related_name="items")
    plan = models.ForeignKey(
        "plans.AccountPlan", on_delete=models.CASCADE, related_name="review_items"
    )
    order = models.PositiveSmallIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    decisions = models.TextField(blank=True)
    plan_version = models.ForeignKey(
        "plans.PlanVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actions = models.ManyToManyField(
        "plans.Action", blank=True, related_name="+", help_text="Actions decided at this review"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["sitting", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "plan"], name="review_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.sitting}: {self.plan}"


class SittingChange(models.Model):
    """The trail of a sitting (scheduled, moved, outcome recorded, closed, cancelled):
    who did what and when, and what a stale save is refused with."""

    sitting = models.ForeignKey(ReviewSitting, on_delete=models.CASCADE, related_name="changes")
    subject = models.CharField(max_length=20)  # "sitting" or "review item"
    object_id = models.PositiveBigIntegerField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(max_length=255)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["subject", "object_id", "-at"])]

    def __str__(self) -> str:
        return f"{self.user or 'keyplan'} {self.summary}"
