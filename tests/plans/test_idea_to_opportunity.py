"""An idea moved to an opportunity carries its product (a product within the idea's
product line is offered when the idea names only a line), its probability (the idea's
confidence) and a link back to the plan; the opportunity page links to the idea and its
plan."""

import datetime
from decimal import Decimal

import pytest

from keyplan.catalog.models import Product
from keyplan.plans import services
from keyplan.plans.models import Idea
from keyplan.sales.models import Opportunity
from tests.factories import ProductFactory, ProductLineFactory
from tests.plans.conftest import add_idea


@pytest.fixture
def line(db):
    analytics = ProductLineFactory(name="Analytics")
    ProductFactory(name="Dashboards", product_line=analytics)
    ProductFactory(name="Forecasting", product_line=analytics)
    ProductFactory(name="Firewall", product_line=ProductLineFactory(name="Security"))
    return analytics


@pytest.fixture
def idea(org, plan, line):
    idea = add_idea(
        plan,
        org.rep,
        "250000",
        title="Forecast demand",
        product_line=line,
        confidence=70,
        expected_date=datetime.date(2027, 9, 30),
    )
    return services.idea_move(idea=idea, user=org.rep, stage="qualified")


def _move(client, plan, idea, **data):
    return client.post(
        f"/plans/{plan.pk}/ideas/{idea.pk}/move/",
        {"stage": "opportunity", "version": idea.version, **data},
        follow=True,
    ).content.decode()


def test_the_plan_page_offers_the_products_of_the_ideas_line(org, plan, idea, client):
    client.force_login(org.rep)
    html = client.get(plan.get_absolute_url()).content.decode()
    offer = html.split('data-testid="idea-product"')[1].split("</select>")[0]
    assert "Analytics: product not known yet" in offer
    assert ">Dashboards<" in offer and ">Forecasting<" in offer
    assert "Firewall" not in offer


def test_the_new_opportunity_carries_product_probability_and_value(org, plan, idea, client):
    forecasting = idea.product_line.products.get(name="Forecasting")
    client.force_login(org.rep)
    _move(client, plan, idea, product=forecasting.pk)
    idea = Idea.objects.get(pk=idea.pk)
    opp = idea.opportunity
    assert idea.stage == "opportunity" and idea.product == forecasting
    assert (opp.product, opp.probability, opp.amount) == (forecasting, 70, Decimal("250000"))
    assert opp.close_date == datetime.date(2027, 9, 30)
    # The opportunity page links back to the idea and its plan.
    page = client.get(opp.get_absolute_url()).content.decode()
    assert "From the account plan" in page
    assert f'href="{plan.get_absolute_url()}#idea-{idea.pk}">“Forecast demand”</a>' in page
    assert f'the plan <a href="{plan.get_absolute_url()}">{plan}</a>' in page
    plan_page = client.get(plan.get_absolute_url()).content.decode()
    assert f'id="idea-{idea.pk}"' in plan_page  # where the link lands


def test_a_product_outside_the_ideas_line_is_refused(org, plan, idea, client):
    client.force_login(org.rep)
    firewall = Product.objects.get(name="Firewall")
    html = _move(client, plan, idea, product=firewall.pk)
    assert "Firewall is not in the idea&#x27;s product line Analytics" in html
    assert Idea.objects.get(pk=idea.pk).stage == "qualified"
    assert not Opportunity.objects.exists()


def test_without_a_choice_the_opportunity_has_the_ideas_confidence_and_no_product(org, plan, idea):
    idea = services.idea_move(idea=idea, user=org.rep, stage="opportunity")
    assert idea.opportunity.product is None and idea.opportunity.probability == 70


def test_api_move_takes_the_product(org, plan, idea, api_client):
    dashboards = idea.product_line.products.get(name="Dashboards")
    api_client.force_authenticate(org.rep)
    response = api_client.post(
        f"/api/v1/plan-ideas/{idea.pk}/move/",
        {"stage": "opportunity", "product": dashboards.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    opp = Idea.objects.get(pk=idea.pk).opportunity
    assert opp.product == dashboards and opp.probability == 70
