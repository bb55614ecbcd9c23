"""The web import of a messy ERP export, as a sales-operations analyst uses it."""

import html

import pytest

from keyplan.imports.models import ImportRun
from keyplan.sales.models import SaleLine
from tests.imports.test_web_import import django_capture_on_commit_callbacks_for, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def submit(client, django_capture_on_commit_callbacks):
    def post(run, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/imports/{run.pk}/map/", data)

    return post


def test_erp_sales_with_month_first_dates_and_repeated_lines(client, org, catalogue, submit):
    """Headers preselected, dates read month first as the file shows, the two identical
    lines kept as two, a dry run, then "Import now"; the same file again adds nothing."""
    name = org.mine.name
    content = (
        "Customer;Item;Invoice Date;Net Amount (EUR);Qty\n"
        f"{name};GTX Pro;03/05/2025;1.234,56;2\n"
        f"{name};GTX Pro;03/05/2025;1.234,56;2\n"
        f"{name};Support;11/30/2025;5.000;1\n"
    ).encode()
    client.force_login(org.ops)
    upload(client, content=content, name="erp.csv", kind="sales")
    run = ImportRun.objects.get()
    page = client.get(f"/imports/{run.pk}/map/").content.decode()
    for field, column in (
        ("account", "Customer"),
        ("product", "Item"),
        ("date", "Invoice Date"),
        ("amount", "Net Amount (EUR)"),
        ("quantity", "Qty"),
    ):
        select = page.split(f'name="map_{field}"', 1)[1].split("</select>", 1)[0]
        assert f'value="{column}" selected' in select, field
    data = {
        "map_account": "Customer",
        "map_product": "Item",
        "map_date": "Invoice Date",
        "map_amount": "Net Amount (EUR)",
        "map_quantity": "Qty",
    }
    submit(run, {**data, "dry_run": "1"})
    run.refresh_from_db()
    assert (run.error_count, run.created, run.committed) == (0, 3, False), run.errors
    with django_capture_on_commit_callbacks_for(client) as post:
        post(f"/imports/{run.pk}/import-now/")
    stored = sorted(SaleLine.objects.values_list("date", "amount", "quantity"))
    assert [(str(d), str(a), str(q)) for d, a, q in stored] == [
        ("2025-03-05", "1234.56", "2.00"),
        ("2025-03-05", "1234.56", "2.00"),
        ("2025-11-30", "5000.00", "1.00"),
    ]
    upload(client, content=content, name="erp.csv", kind="sales")
    again = ImportRun.objects.latest("pk")
    submit(again, data)
    again.refresh_from_db()
    assert (again.created, again.unchanged) == (0, 3)
    assert SaleLine.objects.count() == 3


def test_a_failed_dry_run_says_how_to_import_the_valid_rows(client, org, submit):
    client.force_login(org.ops)
    upload(client, content=b"external_id,name,employees\nE1,Good,10\nE2,Bad,lots\n")
    dry = ImportRun.objects.get()
    form = html.unescape(client.get(f"/imports/{dry.pk}/map/").content.decode())
    box = "Import the valid rows and set the invalid ones aside"
    assert box in form
    submit(dry, {"map_external_id": "external_id", "map_name": "name", "dry_run": "1"})
    page = html.unescape(client.get(f"/imports/{dry.pk}/").content.decode())
    assert f"upload it again and tick “{box}”" in page


def test_the_kind_is_named_in_words_on_every_import_page(client, org, submit):
    client.force_login(org.ops)
    upload(
        client, content=b"opportunity,product,amount\nO1,GTX Pro,10\n", kind="opportunity_products"
    )
    run = ImportRun.objects.get()
    page = client.get(f"/imports/{run.pk}/map/").content.decode()
    assert "Importing <strong>opportunity products</strong>" in page
    submit(
        run,
        {
            "map_opportunity": "opportunity",
            "map_product": "product",
            "map_amount": "amount",
            "dry_run": "1",
        },
    )
    detail = client.get(f"/imports/{run.pk}/").content.decode()
    assert "Opportunity products from" in detail and ">Opportunity_products" not in detail
    history = client.get("/imports/").content.decode()
    assert "<td>opportunity products</td>" in history
    assert "<td>opportunity_products</td>" not in history
