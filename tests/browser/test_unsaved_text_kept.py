"""In the browser: nothing a user typed is lost. Saving one form opened in place keeps
every other open form with its text (the page body is swapped after a save); a form
that holds unsaved text is not replaced by opening it again; and leaving a page while a
form holds unsaved text asks first — but not once it is saved."""

import re
from decimal import Decimal

import pytest

from keyplan.accounts.models import Account, Contact
from keyplan.plans import services
from keyplan.plans.models import AccountPlan
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plan(db):
    rep = UserFactory(username="rob", first_name="Rob", last_name="Kent")
    account = AccountFactory(name="Nordwind Logistics", owner=rep)
    ContactFactory(account=account, first_name="Clara", last_name="Berg", title="CFO")
    return services.plan_create(account=account, user=rep, revenue_goal=Decimal("400000"))


def _dialogs(page):
    seen = []

    def answer(dialog):
        seen.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", answer)
    return seen


def test_saving_one_form_keeps_the_other_open_forms_and_their_text(page, live_server, plan):
    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.evaluate("window.__samePage = true")  # proves every save below is in place

    page.get_by_test_id("add-goal").click()
    goal_form = page.locator("#slot-goal-new form")
    goal_form.wait_for()
    goal_form.locator("[name=title]").fill("Cut cost per shipment by 8%")
    goal_form.locator("[name=story]").fill("The CFO told us at the steering meeting.")

    page.get_by_test_id("add-idea").click()
    idea_form = page.locator("#slot-idea-new form")
    idea_form.wait_for()
    # Both forms have a "Title": each label leads to its own form's field.
    idea_form.locator("label", has_text="Title").first.click()
    assert page.evaluate("document.activeElement.closest('#slot-idea-new') !== null")
    idea_form.locator("[name=title]").fill("Route optimisation for the Nordic hubs")
    idea_form.locator("[name=annual_value]").fill("500000")
    idea_form.get_by_role("button", name="Save").click()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=idea]').length === 1")

    # The idea is saved and shown; the goal form is still open with what was typed.
    assert page.locator("#slot-idea-new form").count() == 0
    goal_form = page.locator("#slot-goal-new form")
    assert goal_form.locator("[name=title]").input_value() == "Cut cost per shipment by 8%"
    assert goal_form.locator("[name=story]").input_value() == (
        "The CFO told us at the steering meeting."
    )

    # Clicking "Add a goal" again does not replace the form holding the text.
    page.get_by_test_id("add-goal").click()
    page.wait_for_timeout(300)
    assert page.locator("#slot-goal-new form [name=title]").input_value() == (
        "Cut cost per shipment by 8%"
    )

    # The kept form still saves, in place.
    goal_form = page.locator("#slot-goal-new form")
    goal_form.locator("[name=level]").select_option("corporate")
    goal_form.get_by_role("button", name="Save").click()
    page.get_by_test_id("goal").wait_for()
    assert "Cut cost per shipment by 8%" in page.get_by_test_id("goal").inner_text()
    assert page.evaluate("window.__samePage") is True
    assert plan.goals.get().story == "The CFO told us at the steering meeting."
    assert plan.ideas.get().title == "Route optimisation for the Nordic hubs"


def test_two_sections_of_the_plan_open_at_once_both_save(page, live_server, plan):
    """Both forms carry the plan's version; saving one must not make the other's save
    refused as if someone else had changed the plan in between."""
    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")

    page.get_by_test_id("edit-basics").click()
    basics = page.locator("#slot-section-basics form")
    basics.wait_for()
    basics.locator("[name=aspiration_statement]").fill("Their logistics partner of choice.")

    page.locator("#insights").get_by_role("link", name="Edit").first.click()
    insights = page.locator("#slot-section-insights form")
    insights.wait_for()
    insights.locator("[name=value_perception]").fill("A reliable carrier, not yet a partner.")
    insights.get_by_role("button", name="Save").click()
    page.locator("#insights", has_text="A reliable carrier, not yet a partner.").wait_for()

    basics = page.locator("#slot-section-basics form")
    assert basics.locator("[name=aspiration_statement]").input_value() == (
        "Their logistics partner of choice."
    )
    basics.get_by_role("button", name="Save").click()
    page.locator("#basics", has_text="Their logistics partner of choice.").wait_for()
    assert page.locator("#slot-section-basics form").count() == 0
    plan = AccountPlan.objects.get(pk=plan.pk)
    assert plan.value_perception == "A reliable carrier, not yet a partner."
    assert plan.aspiration_statement == "Their logistics partner of choice."


def test_a_stale_section_form_kept_open_is_still_refused(page, live_server, plan):
    """Keeping a form open must not hide someone else's change: when the plan changed
    elsewhere, the kept form's save is refused with a message, its text still there."""
    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_test_id("edit-basics").click()
    basics = page.locator("#slot-section-basics form")
    basics.wait_for()
    basics.locator("[name=aspiration_statement]").fill("Mine.")

    services.plan_update(plan=plan, user=plan.owner, aspiration_statement="Theirs.")
    page.get_by_test_id("add-idea").click()
    idea_form = page.locator("#slot-idea-new form")
    idea_form.wait_for()
    idea_form.locator("[name=title]").fill("Hub automation")
    idea_form.locator("[name=annual_value]").fill("1000")
    idea_form.get_by_role("button", name="Save").click()
    page.get_by_test_id("idea").wait_for()

    basics = page.locator("#slot-section-basics form")
    basics.get_by_role("button", name="Save").click()
    error = basics.locator(".message.error")
    error.wait_for()
    # The other save here is the owner's own (as from another tab of theirs): the refusal
    # says so, and that the typed text is still in the form.
    assert "You saved this plan in another tab or window" in error.inner_text()
    assert "was not saved and is still in the form" in error.inner_text()
    assert basics.locator("[name=aspiration_statement]").input_value() == "Mine."
    assert AccountPlan.objects.get(pk=plan.pk).aspiration_statement == "Theirs."


def test_a_form_whose_item_was_removed_keeps_its_text(page, live_server, plan):
    services.element_save(
        kind="idea", plan=plan, user=plan.owner, title="Old idea", annual_value=Decimal("1000")
    )
    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    idea = page.get_by_test_id("idea")
    idea.get_by_role("link", name="Edit").click()
    form = page.locator("[id^=slot-idea-] form")
    form.wait_for()
    form.locator("[name=problem_statement]").fill("Trucks run half empty on the way back.")
    page.once("dialog", lambda dialog: dialog.accept())  # "Remove “Old idea”?"
    idea.get_by_role("button", name="Remove").click()
    page.wait_for_function("() => document.querySelectorAll('[data-testid=idea]').length === 0")
    kept = page.get_by_test_id("kept-forms")
    assert "no longer on this page" in kept.inner_text()
    assert kept.locator("[name=problem_statement]").input_value() == (
        "Trucks run half empty on the way back."
    )


def test_leaving_the_plan_with_unsaved_text_asks_first(page, live_server, plan):
    dialogs = _dialogs(page)
    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_test_id("relationship-map-link").wait_for()

    # An untouched form lets the user leave without a question.
    page.get_by_test_id("add-goal").click()
    page.locator("#slot-goal-new form").wait_for()
    page.get_by_test_id("relationship-map-link").click()
    page.wait_for_url(re.compile(r".*/map/$"))
    assert dialogs == []

    page.go_back()
    page.get_by_test_id("add-goal").click()
    goal_form = page.locator("#slot-goal-new form")
    goal_form.wait_for()
    goal_form.locator("[name=title]").fill("Cut cost per shipment by 8%")
    page.get_by_test_id("relationship-map-link").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert re.search(rf"/plans/{plan.pk}/$", page.url)  # stayed
    assert goal_form.locator("[name=title]").input_value() == "Cut cost per shipment by 8%"

    # Saved: nothing is left unsaved, so leaving asks nothing.
    goal_form.locator("[name=level]").select_option("corporate")
    goal_form.get_by_role("button", name="Save").click()
    page.get_by_test_id("goal").wait_for()
    page.get_by_test_id("relationship-map-link").click()
    page.wait_for_url(re.compile(r".*/map/$"))
    assert dialogs == ["beforeunload"]


def test_a_form_sent_back_with_errors_still_counts_as_unsaved(page, live_server, plan):
    dialogs = _dialogs(page)
    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}")
    page.get_by_test_id("add-idea").click()
    form = page.locator("#slot-idea-new form")
    form.wait_for()
    form.locator("[name=problem_statement]").fill("Trucks run half empty on the way back.")
    form.get_by_role("button", name="Save").click()  # no title: refused
    page.locator("#slot-idea-new .errorlist").first.wait_for()
    page.get_by_test_id("relationship-map-link").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.locator("#slot-idea-new [name=problem_statement]").input_value() == (
        "Trucks run half empty on the way back."
    )


def test_a_plain_edit_page_asks_before_leaving_but_not_when_saving(page, live_server):
    dialogs = _dialogs(page)
    rep = UserFactory(username="rob", first_name="Rob", last_name="Kent")
    account = AccountFactory(name="Nordwind Logistics", owner=rep)
    contact = ContactFactory(account=account, first_name="Clara", last_name="Berg")
    sign_in(page, live_server, "rob")

    page.goto(f"{live_server.url}{account.get_absolute_url()}")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(re.compile(r".*/edit/$"))
    page.fill("#id_website", "https://nordwind.example")
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith("/edit/")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{account.get_absolute_url()}")
    assert dialogs == ["beforeunload"]
    assert Account.objects.get(pk=account.pk).website == "https://nordwind.example"

    page.goto(f"{live_server.url}{contact.get_absolute_url()}")
    page.get_by_role("link", name="Edit", exact=True).click()
    page.wait_for_url(re.compile(r".*/edit/$"))
    page.fill("#id_title", "Chief Financial Officer")
    page.locator("a.brand").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload", "beforeunload"]
    assert Contact.objects.get(pk=contact.pk).title != "Chief Financial Officer"


def test_map_page_keeps_an_open_form_when_another_is_saved(page, live_server, plan):
    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}/plans/{plan.pk}/map/")
    page.get_by_test_id("add-pairing").click()
    pairing = page.get_by_test_id("map-pairing-form")
    pairing.wait_for()
    pairing.locator("[name=cadence_days]").fill("45")

    page.get_by_test_id("add-contact").click()
    contact = page.get_by_test_id("map-contact-form")
    contact.wait_for()
    contact.locator("[name=first_name]").fill("Nora")
    contact.locator("[name=last_name]").fill("Ops")
    contact.get_by_role("button", name="Save").click()
    page.locator("[data-testid=map-contact]", has_text="Nora Ops").wait_for()

    assert page.get_by_test_id("map-contact-form").count() == 0
    assert page.get_by_test_id("map-pairing-form").locator("[name=cadence_days]").input_value() == (
        "45"
    )


def test_a_decision_comment_being_typed_survives_another_save(page, live_server):
    """Forms that are always on the page (a decision on an investment case) keep what
    was typed in them when another form's save refreshes the plan."""
    manager = UserFactory(username="maria", first_name="Maria", last_name="Lind", role="manager")
    rep = UserFactory(username="rob", first_name="Rob", last_name="Kent", manager=manager)
    account = AccountFactory(name="Nordwind Logistics", owner=rep)
    plan = services.plan_create(account=account, user=rep, revenue_goal=Decimal("400000"))
    idea = services.element_save(
        kind="idea",
        plan=plan,
        user=rep,
        title="Pilot",
        annual_value=Decimal("500000"),
        needs_investment=True,
    )
    case = services.element_save(
        kind="investment",
        plan=plan,
        user=rep,
        idea=idea,
        title="Pilot kit",
        cost=Decimal("10"),
        expected_return=Decimal("20"),
    )
    services.investment_submit(case=case, user=rep)

    sign_in(page, live_server, "maria")
    page.goto(f"{live_server.url}{plan.get_absolute_url()}#investments")
    page.fill("textarea[name=comment]", "Approved if the customer co-funds it.")
    page.get_by_test_id("add-goal").click()
    goal_form = page.locator("#slot-goal-new form")
    goal_form.wait_for()
    goal_form.locator("[name=level]").select_option("corporate")
    goal_form.locator("[name=title]").fill("Cut cost per shipment by 8%")
    goal_form.get_by_role("button", name="Save").click()
    page.get_by_test_id("goal").wait_for()

    assert page.locator("textarea[name=comment]").input_value() == (
        "Approved if the customer co-funds it."
    )
    page.get_by_test_id("approve").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=investment-status]').textContent === 'Approved'"
    )
    case.refresh_from_db()
    assert case.events.filter(comment="Approved if the customer co-funds it.").exists()
