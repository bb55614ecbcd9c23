"""The activity feed says what was done to the plan as a whole in a sentence: "confirmed
the plan is current", "reviewed the plan with the team" — not "changed plan “confirmed
current”"; everything else still reads "added objective “…”"."""

from keyplan.plans import services


def _feed(client, plan) -> str:
    page = client.get(plan.get_absolute_url()).content.decode()
    return " ".join(page.split('data-testid="activity"')[1].split("</section>")[0].split())


def test_confirming_and_reviewing_read_as_sentences(org, plan, client):
    services.plan_confirm(plan=plan, user=org.rep)
    services.plan_confirm(plan=plan, user=org.manager, review=True, note="Q1 review")
    client.force_login(org.rep)
    feed = _feed(client, plan)
    assert f"<strong>{org.rep}</strong> confirmed the plan is current" in feed
    assert f"<strong>{org.manager}</strong> reviewed the plan with the team" in feed
    assert "“confirmed current”" not in feed and "“reviewed with the team”" not in feed
    assert "added version “" in feed  # the review kept a version, told as before
