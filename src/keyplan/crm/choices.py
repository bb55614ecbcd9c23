from django.db import models


class ExportedKind(models.TextChoices):
    """The kinds of keyplan records that go to Salesforce; the first part of each
    record's ``Keyplan_Id__c`` (``kp-action-12``)."""

    OPPORTUNITY = "opportunity", "Opportunity"
    CONTACT = "contact", "Contact"
    ACTION = "action", "Account plan action"
    ACTIVITY = "activity", "Territory plan activity"
    INTERACTION = "interaction", "Logged meeting, call or email"
