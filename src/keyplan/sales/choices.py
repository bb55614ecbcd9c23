from django.db import models


class OpportunityStatus(models.TextChoices):
    """Where an opportunity stands, whatever the source CRM calls its stage."""

    OPEN = "open", "Open"
    WON = "won", "Closed won"
    LOST = "lost", "Closed lost"


class Stage(models.TextChoices):
    """keyplan's default sales stages. Imported opportunities keep their own stage
    names; ``OpportunityStatus`` is what analyses use."""

    PROSPECTING = "Prospecting", "Prospecting"
    QUALIFICATION = "Qualification", "Qualification"
    PROPOSAL = "Proposal", "Proposal"
    NEGOTIATION = "Negotiation", "Negotiation"
    CLOSED_WON = "Closed Won", "Closed Won"
    CLOSED_LOST = "Closed Lost", "Closed Lost"


STAGE_STATUS = {
    Stage.PROSPECTING: OpportunityStatus.OPEN,
    Stage.QUALIFICATION: OpportunityStatus.OPEN,
    Stage.PROPOSAL: OpportunityStatus.OPEN,
    Stage.NEGOTIATION: OpportunityStatus.OPEN,
    Stage.CLOSED_WON: OpportunityStatus.WON,
    Stage.CLOSED_LOST: OpportunityStatus.LOST,
}

STAGE_PROBABILITY = {
    Stage.PROSPECTING: 10,
    Stage.QUALIFICATION: 25,
    Stage.PROPOSAL: 50,
    Stage.NEGOTIATION: 75,
    Stage.CLOSED_WON: 100,
    Stage.CLOSED_LOST: 0,
}
