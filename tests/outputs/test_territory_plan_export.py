"""The territory plan as a deck, a PDF, a workbook and Markdown: each holds the plan's
figures (quota, objectives against it, strategies with people's hours, activities, the
realism check's findings, goals), the deck's charts are native, the workbook's figures
are numbers and dates, and exports go through the territory plan's visibility."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyplan.outputs.content import FORMATS
from keyplan.outputs.export import export_territory_plan
from tests.outputs.conftest import deck_texts, download_links, pdf_text

pytestmark = pytest.mark.django_db

FIGURES = [
    "Rita Reyes",
    "1,000,000 USD",  # the quota
    "1,200,000 USD",  # the revenue objectives by tier
    "1.20x",  # … against the quota
    "Partner webinars",
    "Ravi Rao: 12.5 h a month (Runs the webinars)",
    "First webinar",
    "Revenue from A accounts",
    "800,000 USD",
    "120% of your 1.0M quota",  # the realism check's finding
    "Partner of record in the north",
    "Mine Group",
    "Acme Foods",
]


def test_the_deck_holds_the_figures_on_its_slides_with_native_charts(org, territory):
    from pptx import Presentation

    content = export_territory_plan(plan=territory, user=org.manager, fmt="pptx").content
    slides = deck_texts(content)
    titles = [s.split("\n")[0] for s in slides]
    assert titles == [
        "Territory plan: Rita Reyes · FY 2027",
        "The territory at a glance",
        "Objectives by tier against the quota",
        "Opportunity by product",
        "The accounts by tier",
        "The accounts",
        "Strategies and the people they need",
        "Activities",
        "Objectives",
        "Realism check",
        "Goals",
    ]
    text = "\n".join(slides)
    for figure in FIGURES:
        assert figure in text, figure
    assert "✓ Objectives against the quota: Your revenue objectives add up to 1.2M" in text
    # The objectives by tier against the facts and the total against the quota are
    # charts PowerPoint can edit, with the figures in them.
    prs = Presentation(io.BytesIO(content))
    charts = [s.chart for s in prs.slides[2].shapes if s.has_chart]
    by_tier, total = charts
    assert list(by_tier.plots[0].categories) == ["Tier A", "Tier B", "Tier C"]
    assert list(by_tier.series[0].values) == [800_000, 400_000, 0]
    assert list(total.plots[0].categories)[:3] == ["Revenue objectives", "Quota", "1.20x the quota"]
    assert list(total.series[0].values)[:3] == [1_200_000, 1_000_000, 1_200_000]


def test_the_pdf_and_markdown_hold_the_same_figures(org, territory):
    pdf = export_territory_plan(plan=territory, user=org.rep, fmt="pdf").content
    assert pdf.startswith(b"%PDF")
    text = " ".join(pdf_text(pdf).split())
    md = export_territory_plan(plan=territory, user=org.rep, fmt="md").content.decode()
    assert md.startswith("# Territory plan: Rita Reyes · FY 2027\n")
    for figure in FIGURES:
        assert figure in text, figure
        assert figure in md, figure
    assert "Page 1 of" in text


def test_the_workbook_has_a_sheet_per_part_with_numbers_and_dates(org, territory):
    import openpyxl

    content = export_territory_plan(plan=territory, user=org.rep, fmt="xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == [
        "at a glance",
        "tiers",
        "accounts",
        "products",
        "strategies",
        "activities",
        "objectives",
        "realism",
        "goals",
    ]
    glance = {r[0].value: r[1] for r in book["at a glance"].iter_rows(min_row=2)}
    assert glance["Quota"].value == 1_000_000 and glance["Quota"].data_type == "n"
    assert glance["Revenue objectives against the quota"].value == pytest.approx(1.2)
    activity = next(book["activities"].iter_rows(min_row=2))
    assert activity[1].value == "First webinar"
    assert activity[3].is_date and activity[3].value.date() == datetime.date(2027, 3, 15)
    assert activity[4].value == 6 and activity[4].number_format == '#,##0.0 "h"'
    strategy = next(book["strategies"].iter_rows(min_row=2))
    assert strategy[7].value == 12.5 and strategy[4].is_date
    objectives = [(r[1].value, r[3].value) for r in book["objectives"].iter_rows(min_row=2)]
    assert objectives == [
        ("Revenue from A accounts", 800_000),
        ("Revenue from B accounts", 400_000),
    ]
    tiers = {r[0].value: r[8].value for r in book["tiers"].iter_rows(min_row=2)}
    assert tiers == {"Tier A": 800_000, "Tier B": 400_000, "Tier C": None}
    holds = [(r[0].value, r[2].value) for r in book["realism"].iter_rows(min_row=2)]
    assert ("Objectives against the quota", "yes") in holds


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_api_gives_the_file_named_after_the_rep_and_year(org, territory, api_client, fmt):
    api_client.force_authenticate(org.manager)
    response = api_client.get(f"/api/v1/territory-plans/{territory.pk}/export/?format={fmt}")
    assert response.status_code == 200
    assert response["Content-Type"] == FORMATS[fmt]
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="Territory plan - Rita Reyes - FY 2027.{fmt}"'
    )


def test_who_may_download_is_who_may_read(org, territory, api_client, client):
    url = f"/api/v1/territory-plans/{territory.pk}/export/?format=md"
    page = f"/territory-plans/{territory.pk}/export/md/"
    api_client.force_authenticate(org.other)  # a rep outside the team
    assert api_client.get(url).status_code == 404
    client.force_login(org.other)
    assert client.get(page).status_code == 404
    client.force_login(org.rep2)  # a teammate does not read Rita's plan either
    assert client.get(page).status_code == 404
    for reader in (org.rep, org.manager, org.executive, org.ops):
        client.force_login(reader)
        response = client.get(page)
        assert response.status_code == 200, reader
        assert response.content.startswith(b"# Territory plan: Rita Reyes")
    client.logout()
    assert client.get(page).status_code == 302  # to sign in


def test_a_bad_format_is_400_naming_the_formats(org, territory, api_client, client):
    api_client.force_authenticate(org.rep)
    response = api_client.get(f"/api/v1/territory-plans/{territory.pk}/export/?format=docx")
    assert response.status_code == 400
    assert response.json()["format"] == [
        "format: 'docx' is not a format a plan is exported in; use one of pptx, pdf, xlsx, md."
    ]
    client.force_login(org.rep)
    assert client.get(f"/territory-plans/{territory.pk}/export/docx/").status_code == 400


def test_the_territory_plan_page_offers_the_downloads(org, territory, client):
    client.force_login(org.executive)
    html = client.get(f"/territory-plans/{territory.pk}/").content.decode()
    assert download_links(html, f"/territory-plans/{territory.pk}/export/") == []


def test_the_command_writes_the_file_and_refuses_what_is_not(territory, tmp_path):
    out = tmp_path / "territory.md"
    call_command("export-territory-plan", str(territory.pk), "--format", "md", "-o", str(out))
    assert out.read_text().startswith("# Territory plan: Rita Reyes · FY 2027\n")
    with pytest.raises(CommandError, match="plan: no territory plan has the id '999999'"):
        call_command("export-territory-plan", "999999", "--format", "md", "-o", str(out))
    with pytest.raises(CommandError, match="format: 'doc' is not a format"):
        call_command("export-territory-plan", str(territory.pk), "--format", "doc", "-o", str(out))


def test_no_query_per_strategy_activity_or_objective(org, territory):
    from keyplan.salesplan.territory import services as ts

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export_territory_plan(plan=territory, user=org.rep, fmt="xlsx")
        return len(captured)

    export_territory_plan(plan=territory, user=org.rep, fmt="xlsx")  # caches warm
    few = queries()
    for n in range(3):
        strategy = ts.strategy_save(
            user=org.rep,
            plan=territory,
            data={
                "title": f"Strategy {n}",
                "first_month": datetime.date(2027, 3, 1),
                "last_month": datetime.date(2027, 9, 1),
                "leverages": ["marketing"],
            },
        )
        ts.resource_save(
            user=org.rep, strategy=strategy, data={"person": org.manager, "hours_per_month": "2"}
        )
        for k in range(3):
            ts.activity_save(
                user=org.rep,
                plan=territory,
                data={
                    "strategy": strategy.pk,
                    "title": f"Activity {n}.{k}",
                    "owner": org.rep,
                    "due_date": datetime.date(2027, 4, 1 + k),
                    "effort_hours": "1",
                },
            )
        ts.objective_save(
            user=org.rep,
            plan=territory,
            data={
                "kind": "new_logos",
                "title": f"Logos {n}",
                "target": "2",
                "strategies": [strategy.pk],
            },
        )
    assert queries() == few
