"""Sales ops import a CRM report from the browser: its columns come preselected, a dry
run checks it, and "Import now" imports the same file without uploading it again —
at desktop width, and usable on a phone (390 px, no sideways scroll)."""

import pytest

from keyplan.accounts.models import Account
from keyplan.imports.models import ImportRun
from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots-c"


# Elements of the page's content that stick out past the right edge of the window (a
# wide table may scroll inside its card; nothing else may). The site-wide menu is the
# layout's, not this page's.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const el of document.querySelectorAll("main *")) {
    const scroller = el.closest(".scroll");
    if (scroller && scroller !== el) continue;
    if (el.getBoundingClientRect().right > width + 1) {
      out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + el.className);
    }
  }
  return out;
}"""


def no_sideways_scroll(page) -> bool:
    overflowing = page.evaluate(OVERFLOWING)
    assert not overflowing, overflowing
    return True


def test_upload_preselected_mapping_dry_run_then_import_now(page, live_server, tmp_path):
    UserFactory(username="olga", role="sales_ops")
    rows = "\n".join(f"C{i},Report Account {i},Retail,Germany" for i in range(30))
    path = tmp_path / "crm-report.csv"
    path.write_text(f"Account ID,Account Name,Industry,Billing Country\n{rows}\n", "utf-8")

    sign_in(page, live_server, "olga")
    page.click("nav >> text=Imports")
    page.select_option("#id_kind", "accounts")
    page.set_input_files("#id_file", str(path))
    page.click("text=Upload and map columns")

    # Every column is preselected from its header, nothing to choose by hand.
    assert page.input_value("#id_map_external_id") == "Account ID"
    assert page.input_value("#id_map_name") == "Account Name"
    assert page.input_value("#id_map_industry") == "Industry"
    assert page.input_value("#id_map_country") == "Billing Country"
    page.screenshot(path=f"{SHOTS}/map-desktop.png", full_page=True)

    page.click("button[name=dry_run]")
    page.wait_for_selector("[data-testid=import-now]")
    assert "Checked — nothing was written" in page.inner_text("#import-status")
    assert "The dry run passed: every row is valid." in page.inner_text("#import-status")
    assert Account.objects.count() == 0
    page.screenshot(path=f"{SHOTS}/dry-run-desktop.png", full_page=True)

    page.click("[data-testid=import-now]")
    page.wait_for_selector("[data-testid=count-created]")
    assert page.inner_text("[data-testid=import-status]") == "Done"
    assert page.inner_text("[data-testid=count-created]") == "30"
    assert "Imported" in page.inner_text("#import-status")
    assert Account.objects.filter(country="Germany").count() == 30
    runs = list(ImportRun.objects.order_by("pk"))
    assert [r.dry_run for r in runs] == [True, False]
    assert runs[0].stored_file == runs[1].stored_file  # the same upload, not a new one

    # On a phone: the mapping page and the result are usable without sideways scrolling.
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=f"{SHOTS}/result-390.png", full_page=True)
    assert no_sideways_scroll(page)
    page.goto(f"{live_server.url}/imports/")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_kind", "accounts")
    page.click("text=Upload and map columns")
    page.wait_for_selector("#id_map_name")
    page.screenshot(path=f"{SHOTS}/map-390.png", full_page=True)
    assert no_sideways_scroll(page)
    assert page.input_value("#id_map_name") == "Account Name"
    page.click("button[name=dry_run]")
    page.wait_for_selector("[data-testid=import-next]")
    page.screenshot(path=f"{SHOTS}/dry-run-390.png", full_page=True)
    assert no_sideways_scroll(page)
