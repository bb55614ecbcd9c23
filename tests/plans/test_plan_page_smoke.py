from decimal import Decimal

from keyplan.plans import services
from tests.plans.conftest import add_idea


def test_plan_page_shows_every_step_and_the_coverage_gauge(client, org, plan):
    services.element_save(
        kind="goal", plan=plan, user=org.rep, level="corporate", title="Cut cost 10%"
    )
    add_idea(plan, org.rep, "800000", title="Managed print")
    client.force_login(org.rep)
    response = client.get(plan.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    for title in (
        "Our insights and beliefs",
        "The customer's goals",
        "Research: the Three Cs",
        "Aspiration design: ideas",
        "Investments",
        "The proposal to the customer",
    ):
        assert title in html
    assert "Cut cost 10%" in html and "Managed print" in html
    assert "0.8x" in html or "0.80x" in html
    assert "1.7M" in html  # 2.5 x 1M - 0.8M more needed
    assert Decimal("1000000") == plan.revenue_goal
