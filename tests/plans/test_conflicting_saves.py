"""Two people saving the same item: the later save, made from a stale copy, is refused
with a message showing the other change; nothing is overwritten."""

import pytest

from keyplan.plans import services
from keyplan.plans.models import CustomerGoal
from keyplan.plans.services import EditConflict


def test_the_later_save_is_refused_and_names_the_other_change(org, plan):
    goal = services.element_save(
        kind="goal", plan=plan, user=org.rep, level="corporate", title="Grow in Europe"
    )
    loaded = goal.version
    services.element_save(
        kind="goal",
        plan=plan,
        user=org.manager,
        instance=goal,
        version=loaded,
        title="Grow in Europe and the UK",
    )
    with pytest.raises(EditConflict) as refused:
        services.element_save(
            kind="goal",
            plan=plan,
            user=org.rep,
            instance=goal,
            version=loaded,
            title="Grow in Germany",
        )
    message = str(refused.value.messages[0])
    assert f"{org.manager} saved this customer goal" in message
    assert "Grow in Europe and the UK" in message
    assert CustomerGoal.objects.get(pk=goal.pk).title == "Grow in Europe and the UK"


def test_plan_fields_are_guarded_the_same_way(org, plan):
    services.plan_update(plan=plan, user=org.manager, version=1, our_aspirations="Be their partner")
    with pytest.raises(EditConflict):
        services.plan_update(plan=plan, user=org.rep, version=1, our_aspirations="Mine")
    plan.refresh_from_db()
    assert plan.our_aspirations == "Be their partner"


def test_web_form_keeps_the_users_text_and_shows_the_conflict(org, plan, client):
    goal = services.element_save(
        kind="goal", plan=plan, user=org.rep, level="corporate", title="Grow in Europe"
    )
    services.element_save(
        kind="goal", plan=plan, user=org.manager, instance=goal, title="Grow in the Nordics"
    )
    client.force_login(org.rep)
    response = client.post(
        f"/plans/{plan.pk}/goal/{goal.pk}/",
        {"level": "corporate", "title": "Grow in Spain", "version": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == f"#slot-goal-{goal.pk}"
    assert f"{org.manager} saved this customer goal" in html and 'value="Grow in Spain"' in html
    assert CustomerGoal.objects.get(pk=goal.pk).title == "Grow in the Nordics"


def test_saving_without_changes_keeps_the_version_and_adds_no_record(org, plan):
    goal = services.element_save(
        kind="goal",
        plan=plan,
        user=org.rep,
        level="corporate",
        title="Grow in Europe",
        contacts=[org.cfo],
    )
    records = plan.changes.count()
    same = services.element_save(
        kind="goal",
        plan=plan,
        user=org.manager,
        instance=goal,
        version=goal.version,
        title="Grow in Europe",
        contacts=[org.cfo],
    )
    services.plan_update(plan=plan, user=org.rep, version=1, revenue_goal=plan.revenue_goal)
    assert same.version == goal.version == 1
    assert plan.changes.count() == records
    assert CustomerGoal.objects.get(pk=goal.pk).version == 1


def test_a_save_refused_because_of_ones_own_other_tab_says_you_and_keeps_the_text(
    org, plan, client
):
    """Two tabs of the same person: the refusal says "You saved … in another tab or
    window", not the person's own name as if someone else had, and the typed text stays
    in the form with what to do about it."""
    goal = services.element_save(
        kind="goal", plan=plan, user=org.rep, level="corporate", title="Grow in Europe"
    )
    client.force_login(org.rep)
    first_tab = client.post(
        f"/plans/{plan.pk}/goal/{goal.pk}/",
        {"level": "corporate", "title": "Grow in the Nordics", "version": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert first_tab.status_code == 200
    second_tab = client.post(
        f"/plans/{plan.pk}/goal/{goal.pk}/",
        {"level": "corporate", "title": "Grow in Spain", "version": "1"},
        HTTP_HX_REQUEST="true",
    )
    html = " ".join(second_tab.content.decode().split())
    assert "You saved this customer goal in another tab or window at " in html
    assert "is still in the form: copy it, reload to see the saved version" in html
    assert f"{org.rep} saved" not in html
    assert "Grow in Spain" in html  # the typed text, kept in the form
    assert CustomerGoal.objects.get(pk=goal.pk).title == "Grow in the Nordics"
