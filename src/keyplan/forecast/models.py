from django.conf import settings
from django.db import models


class ForecastRun(models.Model):
    """One computed forecast of the territory: when, over how many months, from which
    last month of sales, the method chosen for each kind of buying, and its back-test
    figures (WAPE and MASE beside the baselines) — kept so quarters can be compared."""

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    horizon = models.PositiveSmallIntegerField()
    last_month = models.DateField(null=True, blank=True, help_text="The last month of sales used")
    expected = models.DecimalField(max_digits=20, decimal_places=2, default=0)
    methods = models.JSONField(default=dict)  # demand class → method
    backtest = models.JSONField(default=dict)
    seconds = models.FloatField(default=0)
    source = models.CharField(max_length=20, default="command line")

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"forecast run {self.pk}"
