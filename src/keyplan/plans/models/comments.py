from django.conf import settings
from django.db import models

from keyplan.plans.models.plan import AccountPlan, PlanElementQuerySet


class Comment(models.Model):
    """A remark by one of our people on the plan itself (``subject`` "plan") or on one of
    its parts (``subject`` the part's kind — goal, idea, action … — and ``object_id``):
    the account team working the plan together. Plain text; people named with
    ``@username`` are its ``mentions`` and hear about it in their inbox."""

    plan = models.ForeignKey(AccountPlan, on_delete=models.CASCADE, related_name="comments")
    subject = models.CharField(max_length=30, default="plan")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlanElementQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["plan", "subject", "object_id", "created_at"])]

    def __str__(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 60 else text[:59] + "…"
