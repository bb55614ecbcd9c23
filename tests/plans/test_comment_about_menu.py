"""The comments card's "About" menu on the plan page offers the plan and every part of it
(goals, ideas, investment cases, objectives, strategies, actions, milestones, help), in
the plan's order: the same menu as the card shows alone, and a part added or removed
shows (or goes) at the next look."""

import lxml.html

from keyplan.plans import services
from tests.plans.test_plan_page_queries import _add_rows


def _about_menu(html: str) -> list[tuple[str, str]]:
    page = lxml.html.fromstring(html)
    return [
        (o.get("value"), o.text_content())
        for o in page.xpath("//select[@id='comment-about']/option")
    ]


def test_about_menu_names_every_part_in_plan_order(org, plan, client):
    client.force_login(org.rep)
    _add_rows(plan, org, 1)
    _add_rows(plan, org, 2)
    menu = _about_menu(client.get(plan.get_absolute_url()).content.decode())
    labels = [label for _, label in menu]
    assert labels[0] == "The plan as a whole"
    assert labels[1:3] == ["Customer goal: Goal 1", "Customer goal: Goal 2"]
    kinds = [value.split("-")[0] for value, _ in menu[1:]]
    order = ["goal", "idea", "investment", "objective", "strategy", "action", "milestone", "help"]
    assert kinds == sorted(kinds, key=order.index) and set(kinds) == set(order)
    assert (
        "Action: Action 2" in labels and "Request for help: A specialist for workshop 1" in labels
    )
    # The card alone (answered after a comment is added) offers the very same menu.
    alone = client.get(f"/plans/{plan.pk}/comments/", HTTP_HX_REQUEST="true")
    assert _about_menu(alone.content.decode()) == menu


def test_a_part_added_or_removed_shows_in_the_menu_at_once(org, plan, client):
    client.force_login(org.rep)
    _add_rows(plan, org, 1)
    url = plan.get_absolute_url()
    assert (
        "Milestone: Kick-off held"
        not in dict(_about_menu(client.get(url).content.decode())).values()
    )
    milestone = services.element_save(
        kind="milestone", plan=plan, user=org.rep, title="Kick-off held", date=plan.period_start
    )
    menu = dict(_about_menu(client.get(url).content.decode()))
    assert menu[f"milestone-{milestone.pk}"] == "Milestone: Kick-off held"
    services.element_delete(kind="milestone", plan=plan, user=org.rep, instance=milestone)
    assert f"milestone-{milestone.pk}" not in dict(_about_menu(client.get(url).content.decode()))
