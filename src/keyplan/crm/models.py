from django.conf import settings
from django.db import models

from keyplan.core import words
from keyplan.crm.choices import ExportedKind


class SalesforceId(models.Model):
    """The Salesforce id of a record keyplan made and sent to Salesforce (an action as a
    Task, an opportunity from an idea...), learned from the next Salesforce export
    through its ``Keyplan_Id__c``. Opportunities and contacts also keep it as their
    ``external_id`` (the key every later import matches on); actions, territory
    activities and logged interactions have no such field for it, so this table is where
    it lives. A row here also says "made in keyplan": such records stay in the exports
    (with their Id, as updates) after Salesforce has them."""

    kind = models.CharField(max_length=20, choices=ExportedKind.choices)
    record_id = models.PositiveBigIntegerField(help_text="The keyplan record's id")
    salesforce_id = models.CharField(max_length=18)
    learned_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="crm_one_sf_id_per_record")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} = {self.salesforce_id}"


class SalesforceExport(models.Model):
    """One export of keyplan's changes as Data Loader files: when, by whom, from which
    change time, and how many rows each file had. The next export without a date starts
    where the last one did."""

    at = models.DateTimeField(help_text="When the export read the data")
    since = models.DateTimeField(null=True, blank=True, help_text="None: everything")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    via = models.CharField(max_length=20, help_text="command line or API")
    rows = models.JSONField(default=dict, help_text="{file name: rows}")
    skipped = models.JSONField(
        default=list,
        blank=True,
        help_text="Keyplan_Id__c of the records this export could not send (an account "
        "without a Salesforce id…): the next export tries them again, changed or not",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        get_latest_by = "at"

    def __str__(self) -> str:
        return f"Salesforce export at {words.moment(self.at)}"
