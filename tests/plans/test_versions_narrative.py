"""A version holds the whole plan, the narrative too (insights, value statements, the
customer's goals and their stories, research, the proposal, strategies, qualitative
goals), and the comparison shows what changed in it, word by word for long text. A
version kept before snapshots held the narrative still opens, and says what it lacks."""

from decimal import Decimal

from keyplan.plans import services, versions
from keyplan.plans.models import PlanVersion


def _comparison(client, plan, a, b) -> str:
    page = client.get(f"/plans/{plan.pk}/versions/?a={a}&b={b}").content.decode()
    return page.split('data-testid="comparison"')[1].split("</section>")[0]


def test_a_changed_insight_is_shown_word_by_word(org, plan, client):
    services.plan_update(
        plan=plan,
        user=org.rep,
        value_perception="They see us as a reliable supplier of capacity, not as a partner.",
    )
    goal = services.element_save(
        kind="goal",
        plan=plan,
        user=org.rep,
        level="corporate",
        title="Grow online",
        story="The CEO set the target at the strategy day.",
    )
    services.element_save(
        kind="value", plan=plan, user=org.rep, metric="Downtime avoided", amount=Decimal("1200000")
    )
    v1 = services.plan_save_version(plan=plan, user=org.rep)
    assert v1.content["insights"]["value_perception"].startswith("They see us")
    assert (
        v1.content["goals"][str(goal.pk)]["story"] == "The CEO set the target at the strategy day."
    )

    services.plan_update(
        plan=plan,
        user=org.rep,
        value_perception="They see us as a reliable partner for <analytics>, not as a partner.",
        customer_trends="Online sales grow fast.",
    )
    services.element_save(
        kind="goal",
        plan=plan,
        user=org.rep,
        instance=goal,
        story="The CEO and the CFO set the target at the strategy day.",
    )
    services.element_save(kind="qualitative", plan=plan, user=org.rep, text="Be their first call")
    services.plan_save_version(plan=plan, user=org.rep)

    client.force_login(org.manager)
    html = _comparison(client, plan, 1, 2)
    insights = html.split('data-testid="diff-insights"')[1].split("</ul>")[0]
    assert "how we think the customer sees our value:" in insights
    assert (
        "reliable <del>supplier of capacity,</del><ins>partner for &lt;analytics&gt;,</ins>"
        in insights
    )
    assert "<analytics>" not in html
    story = html.split('data-testid="diff-goals"')[1].split("</ul></li>")[0]
    assert "changed: Grow online" in story
    assert "the story behind it:" in story and "The CEO <ins>and the CFO</ins> set" in story
    research = html.split('data-testid="diff-research"')[1].split("</ul>")[0]
    assert "customer: trends: — → <strong>Online sales grow fast.</strong>" in research
    assert "added: Be their first call" in html.split('data-testid="diff-qualitative"')[1]
    assert "not recorded" not in html.lower()


def test_a_version_kept_before_the_narrative_was_recorded_still_renders(org, plan, client):
    v1 = services.plan_save_version(plan=plan, user=org.rep)
    old = {
        k: v
        for k, v in v1.content.items()
        if k not in ("insights", "research", "proposal", "values")
    }
    old["goals"] = {}
    PlanVersion.objects.filter(pk=v1.pk).update(content=old)
    services.element_save(
        kind="goal",
        plan=plan,
        user=org.rep,
        level="corporate",
        title="Grow online",
        story="The CEO set the target.",
    )
    services.plan_update(plan=plan, user=org.rep, our_aspirations="Their first call")

    client.force_login(org.rep)
    response = client.get(f"/plans/{plan.pk}/versions/?a=1&b=0")
    assert response.status_code == 200
    html = _comparison(client, plan, 1, 0)
    assert (
        "v1 was kept before versions held the whole plan: insights and beliefs, value "
        "statements, research and the proposal are not recorded in it" in html
    )
    assert "added: Grow online" in html
    assert "Their first call" not in html  # an unrecorded part is not shown as a change


def test_fields_an_older_version_did_not_record_are_named_not_shown_as_changes(org, plan):
    goal = services.element_save(
        kind="goal",
        plan=plan,
        user=org.rep,
        level="corporate",
        title="Grow online",
        story="The CEO set the target.",
    )
    now = versions.snapshot(plan)
    old = now | {"goals": {str(goal.pk): {"level": "corporate", "title": "Grow online"}}}
    diff = versions.compare(old, now)
    assert diff["goals"]["changed"] == []
    assert "story" in diff["goals"]["unrecorded"]["old"]
    shown = versions.present(diff, old_name="v1", new_name="now")["sections"]
    goals = next(s for s in shown if s["key"] == "goals")
    assert goals["note"].startswith("Not recorded in v1: organisation, the story behind it,")


def test_the_api_comparison_holds_the_narrative_too(org, plan, client):
    v1 = services.plan_save_version(plan=plan, user=org.rep)
    services.plan_update(plan=plan, user=org.rep, proposal_vision="One platform by 2030.")
    client.force_login(org.rep)
    body = client.get(f"/api/v1/plans/{plan.pk}/versions/compare/?a={v1.number}&b=0").json()
    assert body["sections"]["proposal"]["fields"] == {
        "proposal_vision": ["", "One platform by 2030."]
    }
