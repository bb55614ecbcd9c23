"""After a sales change the warm-up learns white space four times (by product and by line,
today's and the back-test): the monthly sales are read from the database once for all
four, not once each (at 100,000 accounts each read is 13.7 million rows), and a change of
the facts in between is read again, never answered from the earlier read."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyplan.sales.rollup import sales_version
from keyplan.territory.analysis import facts
from keyplan.territory.analysis.propensity_report import predict
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


def test_the_warm_up_reads_the_monthly_sales_once(django_capture_on_commit_callbacks):
    run_generate("--accounts", 120, "--seed", 3, "--months", 36, "--adoption", "--no-plans")
    from django.core.cache import cache

    from keyplan.territory.tasks import warm_analyses

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert warm_analyses.call(sales_version()) == "warmed"
    # Reads of every month of the roll-up: the month among the columns selected, per
    # account, not limited to a window of months or to some accounts.
    whole = []
    for q in queries.captured_queries:
        parts = re.split(r'FROM\s+"?sales_salesmonth"?', q["sql"], maxsplit=1)
        if len(parts) < 2 or "month" not in parts[0] or "account_id" not in parts[0]:
            continue
        where = parts[1].split("GROUP BY")[0].replace("sales_salesmonth", "")
        if "month" not in where:
            whole.append(q["sql"])
    assert len(whole) == 1, whole


def test_a_change_of_the_facts_is_read_again(django_capture_on_commit_callbacks):
    run_generate("--accounts", 60, "--seed", 5, "--months", 24, "--adoption", "--no-plans")
    with facts.reuse():
        first = facts.monthly_sales()
        assert facts.monthly_sales() is first  # kept while the facts are the same
        from keyplan.sales.models import SaleLine
        from keyplan.sales.rollup import rollup_refresh

        line = SaleLine.objects.order_by("-date").first()
        SaleLine.objects.filter(pk=line.pk).update(amount=line.amount + 1000)
        rollup_refresh(account_ids=[line.account_id])
        again = facts.monthly_sales()
    assert again is not first
    assert int(again.cents.sum()) == int(first.cents.sum()) + 100_000
    assert predict(by="line").probability.size  # white space learns from the new read


def test_white_space_history_is_kept_for_the_back_test_and_read_again_after_a_change(
    django_capture_on_commit_callbacks,
):
    """Today's predictions and the back-test sum the roll-up per item once within the
    warm-up; a sale changed in between is in what the next one learns from."""
    from keyplan.territory.analysis.propensity_features import read_history
    from keyplan.territory.analysis.whitespace import _items

    run_generate("--accounts", 60, "--seed", 5, "--months", 24, "--adoption", "--no-plans")
    items = _items("line", None)
    with facts.reuse():
        first = read_history(items, "line")
        assert read_history(items, "line") is first
        by_product = read_history(_items("product", None), "product")
        assert by_product.n_items != first.n_items
        from keyplan.sales.models import SaleLine
        from keyplan.sales.rollup import rollup_refresh

        line = SaleLine.objects.order_by("-date").first()
        SaleLine.objects.filter(pk=line.pk).update(amount=line.amount + 1000)
        rollup_refresh(account_ids=[line.account_id])
        again = read_history(items, "line")
    assert again is not first
    assert int(again.cents.sum()) == int(first.cents.sum()) + 100_000
