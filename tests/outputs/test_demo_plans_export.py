"""Every format of each demo plan holds that plan's figures: its revenue and stretch
goals, its pipeline and coverage, its ideas' values, read back from the files."""

import io

import pytest

from keyplan.core import words
from keyplan.outputs.content import plan_document
from keyplan.outputs.export import export_plan
from keyplan.plans import selectors
from tests.outputs.conftest import deck_texts, pdf_text

pytestmark = pytest.mark.django_db


def test_demo_plans_in_every_format(db):
    import openpyxl

    from keyplan.people.models import User
    from keyplan.plans.models import AccountPlan
    from tests.territory.conftest import run_generate

    run_generate("--accounts", 60, "--seed", 11)
    rep = User.objects.get(username="rep")
    plans = list(AccountPlan.objects.order_by("pk"))
    assert len(plans) == 3
    for plan in plans:
        cov = selectors.coverage(plan)
        figures = [
            plan.account.name,
            # At a glance and in the coverage table, sums read to the unit.
            words.estimate(plan.revenue_goal),
            words.estimate(plan.stretch_goal),
            words.estimate(cov.pipeline),
            words.ratio(cov.revenue.ratio),
        ]
        md = export_plan(plan=plan, user=rep, fmt="md").content.decode()
        pdf = " ".join(pdf_text(export_plan(plan=plan, user=rep, fmt="pdf").content).split())
        deck = "\n".join(deck_texts(export_plan(plan=plan, user=rep, fmt="pptx").content))
        for figure in figures:
            assert figure in md, figure
            assert figure in pdf, figure
        for figure in figures[:3] + figures[4:]:  # the deck's pipeline is in its chart
            assert figure in deck, figure
        book = openpyxl.load_workbook(
            io.BytesIO(export_plan(plan=plan, user=rep, fmt="xlsx").content)
        )
        glance = {r[0].value: r[1].value for r in book["at a glance"].iter_rows(min_row=2)}
        assert glance["Revenue goal"] == float(plan.revenue_goal)
        assert glance["Pipeline"] == float(cov.pipeline)
        values = [r[5].value for r in book["ideas"].iter_rows(min_row=2)]
        live = plan.ideas.exclude(stage="dropped").order_by("-annual_value", "pk")
        assert values == [float(i.annual_value) for i in live]
        assert all(isinstance(v, float | int) for v in values)


def test_a_fixed_number_of_queries(org, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan_document(plan, org.rep)  # the territory's cached figures are read once, then kept
    with CaptureQueriesContext(connection) as small:
        plan_document(plan, org.rep)
    from tests.factories import ContactFactory

    for n in range(4):
        ContactFactory(account=org.mine, last_name=f"Person {n}", reports_to=org.cfo)
    from decimal import Decimal

    from keyplan.plans import services

    for n in range(5):
        services.element_save(
            kind="idea", plan=plan, user=org.rep, title=f"Idea {n}", annual_value=Decimal(n + 1)
        )
    with CaptureQueriesContext(connection) as larger:
        document = plan_document(plan, org.rep)
    assert len(document.ideas) == 7 and len(document.contacts) == 6
    assert len(larger.captured_queries) == len(small.captured_queries)
