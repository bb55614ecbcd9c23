"""Proposing account goals with a stretch factor a manager mistypes says what to write in
the page's own words, not Django's "Enter a number." / "Ensure this value is less than or
equal to 3." (walk16)."""

import pytest

from keyplan.salesplan.models import AccountGoal
from keyplan.salesplan.periods import Period
from keyplan.salesplan.services import quota_save
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
AS_A_NUMBER = (
    "Write the stretch factor as a number, like 1.10 for goals adding up to 110% of the quota."
)


@pytest.mark.parametrize(
    "typed, said",
    [
        (
            "abc",
            AS_A_NUMBER,
        ),
        (
            "110%",
            AS_A_NUMBER,
        ),
        ("9", "A stretch factor is at most 3 (goals adding up to 300% of the quota)."),
        ("0.2", "A stretch factor is at least 0.5 (goals adding up to 50% of the quota)."),
    ],
)
def test_a_mistyped_stretch_factor_is_named_in_words(client, org, typed, said):
    quota, _ = quota_save(
        user=org.ops, level="rep", rep=org.rep, period=Period(2026), amount=1_000_000
    )
    AccountFactory(name="Alpha", owner=org.rep)
    client.force_login(org.rep)
    page = client.get(
        f"/quotas/{quota.pk}/goals/",
        {
            "basis": "tier",
            "stretch": typed,
            "weight_a": 5,
            "weight_b": 3,
            "weight_c": 1,
            "propose": "1",
        },
    )
    text = " ".join(page.content.decode().split())
    assert said in text
    assert "Enter a number." not in text and "Ensure this value" not in text
    assert not AccountGoal.objects.exists()
