"""Saving one of the plan's own sections in place (htmx) answers with that section and,
out of band, the parts of the page that show what it holds (version, guided steps,
health, activity; for the goals also the header, coverage and forecast) — each exactly
as a reload of the page shows it. A change of who works on the plan, its period or its
accounts still answers with the whole plan body; a refused save keeps what was typed."""

import re
from decimal import Decimal

import lxml.html
import pytest

from keyplan.plans import services
from keyplan.plans.models import AccountPlan
from tests.plans.conftest import add_idea, form_data

HTMX = {"HTTP_HX_REQUEST": "true"}


def _parts(html: str) -> dict[str, str]:
    """The top elements of an answer (or the page's elements of the same ids), by id,
    written without the out-of-band marker and with the CSRF values blanked."""
    return {
        el.get("id"): _written(el)
        for el in lxml.html.fragments_fromstring(html.strip())
        if not isinstance(el, str)
    }


def _written(el) -> str:
    el.attrib.pop("hx-swap-oob", None)
    text = lxml.html.tostring(el, encoding="unicode", with_tail=False)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "csrf", text)


def _same_as_a_reload(client, plan, answer: str) -> list[str]:
    parts = _parts(answer)
    page = lxml.html.fromstring(client.get(plan.get_absolute_url()).content.decode())
    for key, written in parts.items():
        assert written == _written(page.get_element_by_id(key)), key
    return sorted(parts)


def test_a_section_save_answers_with_the_section_and_the_parts_it_changes(org, plan, client):
    services.element_save(kind="value", plan=plan, user=org.rep, metric="Hours", amount=10)
    client.force_login(org.rep)
    url = f"/plans/{plan.pk}/section/insights/"
    data = form_data(client, url) | {
        "value_perception": ["Their safest supplier"],
        "our_aspirations": ["Their partner for the whole supply chain"],
    }
    before = client.get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="step-insights"><a href="#insights">' in before
    response = client.post(url, data, **HTMX)

    assert response.status_code == 200
    assert response["HX-Retarget"] == "#insights" and response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card" id="insights">')
    assert 'id="plan-body"' not in html and 'id="ideas"' not in html  # not the whole page
    assert "Their safest supplier" in html
    # The steps, the health and the activity say the section is now complete.
    assert _same_as_a_reload(client, plan, html) == [
        "activity",
        "health",
        "insights",
        "plan-version",
        "steps",
    ]
    step = html.split('data-testid="step-insights"')[1].split("</li>")[0]
    assert "complete" in step
    assert "Plan steps complete" in html
    assert "Their safest supplier" in html.split('data-testid="activity"')[1]
    plan.refresh_from_db()
    assert plan.value_perception == "Their safest supplier" and plan.version == 2
    assert 'data-plan-version="2"' in html


@pytest.mark.parametrize("section", ["research", "proposal"])
def test_each_text_section_answers_with_itself(org, plan, client, section):
    services.element_save(
        kind="vendor", plan=plan, user=org.rep, relation="competitor", name="Rival"
    )
    add_idea(plan, org.rep, "250000", title="Hub automation", in_proposal=True)
    client.force_login(org.rep)
    url = f"/plans/{plan.pk}/section/{section}/"
    field = "customer_business" if section == "research" else "proposal_vision"
    data = form_data(client, url) | {field: ["Freight forwarding in 14 countries"]}
    response = client.post(url, data, **HTMX)
    assert response["HX-Retarget"] == f"#{section}"
    html = response.content.decode()
    assert "Freight forwarding in 14 countries" in html.split('id="steps"')[0]
    assert "Rival" in html if section == "research" else "Hub automation" in html
    assert _same_as_a_reload(client, plan, html) == sorted(
        ["activity", "health", section, "plan-version", "steps"]
    )


def test_a_new_revenue_goal_also_updates_the_header_coverage_and_forecast(org, plan, client):
    add_idea(plan, org.rep, "900000")
    client.force_login(org.rep)
    url = f"/plans/{plan.pk}/section/basics/"
    data = form_data(client, url) | {"revenue_goal": ["300000"], "aspiration_years": ["5"]}
    response = client.post(url, data, **HTMX)
    assert response["HX-Retarget"] == "#basics"
    html = response.content.decode()
    assert "<strong>300,000</strong>" in html and "5-year aspiration" in html
    assert _same_as_a_reload(client, plan, html) == [
        "activity",
        "basics",
        "coverage",
        "forecast",
        "health",
        "plan-head",
        "plan-version",
        "steps",
    ]
    coverage = html.split('data-testid="coverage"')[1].split("</section>")[0]
    assert "3.00x" in coverage  # 900,000 of ideas against a 300,000 goal
    assert AccountPlan.objects.get(pk=plan.pk).revenue_goal == Decimal("300000")


@pytest.mark.parametrize("change", ["covered accounts", "team", "period"])
def test_a_change_of_accounts_people_or_period_answers_with_the_whole_body(
    org, plan, client, change
):
    client.force_login(org.rep)
    url = f"/plans/{plan.pk}/section/basics/"
    data = form_data(client, url)
    if change == "covered accounts":  # the division in or out
        data["covered_accounts"] = [] if data.get("covered_accounts") else [str(org.mine_child.pk)]
    elif change == "team":
        data["team"] = [*data.get("team", []), str(org.manager.pk)]
    else:
        data["period_end"] = ["2027-09-30"]
    response = client.post(url, data, **HTMX)
    assert response["HX-Retarget"] == "#plan-body" and response["HX-Reswap"] == "outerHTML"
    assert response.content.decode().lstrip().startswith('<div id="plan-body">')
    assert AccountPlan.objects.get(pk=plan.pk).version == 2


def test_a_stale_section_save_is_refused_and_keeps_the_typed_text(org, plan, client):
    client.force_login(org.rep)
    url = f"/plans/{plan.pk}/section/insights/"
    data = form_data(client, url) | {"value_perception": ["Mine, typed in the form"]}
    services.plan_update(plan=plan, user=org.manager, value_perception="The manager's")
    response = client.post(url, data, **HTMX)
    html = response.content.decode()
    assert response["HX-Retarget"] == "#slot-section-insights"
    assert response["HX-Reswap"] == "innerHTML"
    assert "Your changes were not saved" in html
    assert "Mine, typed in the form</textarea>" in html
    assert 'id="steps"' not in html and "hx-swap-oob" not in html
    assert AccountPlan.objects.get(pk=plan.pk).value_perception == "The manager's"


def test_an_invalid_section_save_says_why_and_keeps_the_typed_text(org, plan, client):
    client.force_login(org.rep)
    url = f"/plans/{plan.pk}/section/basics/"
    data = form_data(client, url) | {
        "revenue_goal": ["a lot"],
        "aspiration_statement": ["Their partner of choice"],
    }
    response = client.post(url, data, **HTMX)
    html = response.content.decode()
    assert response["HX-Retarget"] == "#slot-section-basics"
    assert "Enter a number." in html and "Their partner of choice</textarea>" in html
    assert 'value="a lot"' in html
    plan.refresh_from_db()
    assert plan.version == 1 and plan.aspiration_statement == ""


def test_without_htmx_a_section_save_goes_back_to_the_page(org, plan, client):
    client.force_login(org.rep)
    url = f"/plans/{plan.pk}/section/insights/"
    data = form_data(client, url) | {"value_perception": ["Their safest supplier"]}
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"{plan.get_absolute_url()}#insights"
