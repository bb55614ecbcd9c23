"""In the browser: the relationship map of a plan is edited in place. A contact is added
under their manager; as a decision maker with no relationship they raise a warning,
which disappears once a medium relationship is set. The map exports as PNG and SVG."""

from decimal import Decimal

import pytest

from keyplan.accounts.models import Contact
from keyplan.plans import services
from keyplan.plans.models import PlanChange
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_a_contact_on_the_map_and_cover_the_decision_maker(page, live_server):
    rep = UserFactory(username="rob", first_name="Rob", last_name="Kent")
    account = AccountFactory(name="Nordwind Logistics", owner=rep)
    cfo = ContactFactory(account=account, first_name="Clara", last_name="Finance", title="CFO")
    plan = services.plan_create(account=account, user=rep, revenue_goal=Decimal("400000"))

    sign_in(page, live_server, "rob")
    page.goto(f"{live_server.url}/plans/{plan.pk}/map/")
    page.wait_for_selector("#map-chart[data-rendered=true]")
    assert page.get_by_test_id("map-warning").count() == 0

    page.get_by_test_id("add-contact").click()
    form = page.get_by_test_id("map-contact-form")
    form.wait_for()
    page.fill("#id_first_name", "Nora")
    page.fill("#id_last_name", "Ops")
    page.fill("#id_title", "Chief Operating Officer")
    page.select_option("#id_reports_to", label="Clara Finance")
    page.select_option("#id_decision_role", "decision_maker")
    form.get_by_role("button", name="Save").click()

    warning = page.locator('[data-testid=map-warning][data-kind="uncovered_decision_maker"]')
    warning.wait_for()
    assert "Decision maker Nora Ops (Chief Operating Officer) has no relationship" in (
        warning.inner_text()
    )
    row = page.locator("[data-testid=map-contact]", has_text="Nora Ops")
    assert "Clara Finance" in row.inner_text()  # the reporting line
    page.wait_for_selector("#map-chart[data-rendered=true]")
    nora = Contact.objects.get(last_name="Ops")
    assert nora.reports_to == cfo

    row.get_by_test_id("edit-contact").click()
    page.get_by_test_id("map-contact-form").wait_for()
    page.select_option("#id_relationship_strength", "medium")
    page.select_option("#id_relationship_owner", label="Rob Kent")
    page.get_by_test_id("map-contact-form").get_by_role("button", name="Save").click()
    warning.wait_for(state="detached")
    row = page.locator("[data-testid=map-contact]", has_text="Nora Ops")
    assert "Medium" in row.inner_text() and "Rob Kent" in row.inner_text()
    assert PlanChange.objects.filter(subject="contact", object_id=nora.pk).count() == 2

    page.wait_for_selector("#map-chart[data-rendered=true]")
    with page.expect_download() as png:
        page.get_by_test_id("export-png").click()
    assert png.value.suggested_filename == f"relationship-map-{plan.pk}.png"
    with open(png.value.path(), "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as svg:
        page.get_by_test_id("export-svg").click()
    assert svg.value.suggested_filename == f"relationship-map-{plan.pk}.svg"
    with open(svg.value.path(), encoding="utf-8") as f:
        text = f.read()
    assert text.startswith("<svg") and "Nora Ops" in text
