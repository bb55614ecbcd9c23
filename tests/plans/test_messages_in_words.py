"""A refusal names the amounts the way the page shows them: thousands separators and the
currency, not the stored number."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from keyplan.plans import services


def test_a_stretch_goal_below_the_revenue_goal_is_refused_with_amounts_in_words(org, plan):
    with pytest.raises(ValidationError) as refused:
        services.plan_update(plan=plan, user=org.rep, stretch_goal=Decimal("900000"))
    assert refused.value.message_dict["stretch_goal"] == [
        "The stretch goal (900,000 USD) must be at least the revenue goal (1,000,000 USD)."
    ]


def test_a_negative_amount_is_refused_with_the_amount_in_words(org, plan):
    with pytest.raises(ValidationError) as refused:
        services.element_save(
            kind="value", plan=plan, user=org.rep, metric="Downtime", amount=Decimal("-1500")
        )
    assert "The value cannot be negative (got -1,500 USD)." in refused.value.message_dict["amount"]
