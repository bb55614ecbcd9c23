"""Sales ops import a file from the browser: it runs as a real background task (the
database task backend and its worker) and the progress bar reaches 100%."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from keyplan.accounts.models import Account
from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_map_run_in_the_background_and_watch_progress(page, live_server, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    UserFactory(username="olga", role="sales_ops")
    rows = "\n".join(f"B{i},Browser Account {i},Retail" for i in range(250))
    path = tmp_path / "accounts.csv"
    path.write_text(f"Id,Company,Sector\n{rows}\n", encoding="utf-8")

    sign_in(page, live_server, "olga")
    page.click("nav >> text=Imports")
    page.select_option("#id_kind", "accounts")
    page.set_input_files("#id_file", str(path))
    page.click("text=Upload and map columns")
    # The preview shows the file; unmatched columns are mapped by hand.
    assert "Browser Account 0" in page.inner_text("[data-testid=preview]")
    page.select_option("#id_map_external_id", "Id")
    page.select_option("#id_map_name", "Company")
    page.select_option("#id_map_industry", "Sector")
    page.click("button[name=run]")
    page.wait_for_selector("[data-testid=import-status]")
    assert page.inner_text("[data-testid=import-status]") == "Queued"
    assert Account.objects.count() == 0  # nothing happens until the worker runs

    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")

    page.wait_for_selector("[data-testid=import-progress][aria-valuenow='100']")
    page.wait_for_selector("[data-testid=count-created]")
    assert page.inner_text("[data-testid=import-status]") == "Done"
    assert page.inner_text("[data-testid=count-created]") == "250"
    assert Account.objects.filter(industry="Retail").count() == 250
    page.click("nav >> text=Imports")
    expect(page.locator("[data-testid=import-history]")).to_contain_text("accounts.csv")
