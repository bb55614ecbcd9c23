"""A accounts are worked proactively: each has an account plan or a reason (issue 16,
point 3). On the facts step the rep gives the reason beside each A account without an
account plan; the warning then names only those with neither."""

import re

import pytest
from django.core.exceptions import ValidationError

from keyplan.salesplan.models import TerritoryPlanChange
from keyplan.salesplan.territory import services as ts
from tests.salesplan import test_territory_facts

territory = test_territory_facts.territory  # Alpha: an A account of the rep, no 2026 plan
pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


@pytest.fixture
def plan(territory):
    return ts.territory_plan_create(user=territory.rep, rep=territory.rep, fiscal_year=2026)


def test_a_reason_given_on_the_facts_step_takes_the_account_off_the_warning(
    client, territory, plan
):
    client.force_login(territory.rep)
    url = f"/territory-plans/{plan.pk}/"
    before = _text(client.get(url))
    assert "each should have an account plan or a reason. Without either: Alpha " in before
    assert "Why Alpha has no account plan" in before  # the box beside the facts
    answer = client.post(
        f"{url}facts/",
        {
            "version": plan.version,
            "note": "",
            f"reason_{territory.alpha.pk}": "Merger pending until Q3",
        },
    )
    assert answer.status_code == 302
    after = _text(client.get(url))
    assert "Without either" not in after
    assert "A accounts without an account plan, and why: Alpha — “Merger pending until Q3”" in (
        after
    )
    assert "no plan: Merger pending until Q3" in after  # in the ranked table, not "needs a plan"
    change = TerritoryPlanChange.objects.filter(plan=plan, label="facts read").first()
    assert change.changes["no_plan_reasons"] == [[], ["Alpha: Merger pending until Q3"]]
    # A blank reason removes it: the account is on the warning again.
    plan.refresh_from_db()
    client.post(
        f"{url}facts/", {"version": plan.version, "note": "", f"reason_{territory.alpha.pk}": ""}
    )
    assert "Without either: Alpha " in _text(client.get(url))


def test_a_reason_for_someone_elses_account_or_too_long_is_refused_and_nothing_changes(
    territory, plan
):
    with pytest.raises(ValidationError) as caught:
        ts.facts_review(user=territory.rep, plan=plan, reasons={territory.theirs.pk: "Not mine"})
    assert "is not one of" in " ".join(caught.value.messages)
    with pytest.raises(ValidationError) as caught:
        ts.facts_review(user=territory.rep, plan=plan, reasons={territory.alpha.pk: "x" * 300})
    assert "The reason for Alpha is 300 characters long; keep it to 255." in (caught.value.messages)
    with pytest.raises(ValidationError) as caught:
        ts.facts_review(user=territory.rep, plan=plan, reasons={"Alpha": "Merger"})
    assert "“Alpha” is not an account id." in caught.value.messages
    plan.refresh_from_db()
    assert (plan.no_plan_reasons, plan.facts_reviewed_at) == ({}, None)


def test_the_api_takes_and_shows_the_reasons(api_client, territory, plan):
    api_client.force_authenticate(territory.rep)
    url = f"/api/v1/territory-plans/{plan.pk}/"
    alpha = str(territory.alpha.pk)
    answer = api_client.post(
        f"{url}facts-review/",
        {"reasons": {alpha: "Merger pending"}, "version": plan.version},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    detail = api_client.get(url).json()
    assert detail["no_plan_reasons"] == {alpha: "Merger pending"}
    # Leaving the reasons out keeps them; a key that is no account id is a 400.
    api_client.post(
        f"{url}facts-review/", {"note": "Read again", "version": detail["version"]}, format="json"
    )
    assert api_client.get(url).json()["no_plan_reasons"] == {alpha: "Merger pending"}
    bad = api_client.post(
        f"{url}facts-review/",
        {"reasons": {"Alpha": "x"}, "version": detail["version"] + 1},
        format="json",
    )
    assert bad.status_code == 400 and "is not an account id" in str(bad.json())
