"""`keyplan generate`'s options shape what it writes: the size gives a Pareto skew, the
end month moves the history, and the catalogue (as CSV files) holds lines bought in
bundles with white space left."""

import datetime
from collections import defaultdict

import pytest
from django.db.models import Sum

from keyplan.sales.models import SalesMonth
from tests.territory.conftest import read_csv, run_generate

pytestmark = pytest.mark.django_db


def test_a_fifth_of_the_accounts_make_most_of_the_revenue():
    run_generate("--accounts", 120, "--seed", 3)
    revenue = sorted(
        SalesMonth.objects.values("account")
        .annotate(total=Sum("amount"))
        .values_list("total", flat=True),
        reverse=True,
    )
    assert sum(revenue[: 120 // 5]) / sum(revenue) > 0.6


def test_end_moves_the_history_without_looking_at_today():
    run_generate("--accounts", 30, "--end", "2024-06")
    months = SalesMonth.objects.values_list("month", flat=True)
    assert (min(months), max(months)) == (datetime.date(2021, 7, 1), datetime.date(2024, 6, 1))


def test_the_catalogue_has_core_and_other_lines_bought_together(tmp_path):
    run_generate("--accounts", 400, "--seed", 9, "--csv", tmp_path)
    products = {p["external_id"]: p for p in read_csv(tmp_path, "products")}
    lines = {p["product_line"] for p in products.values()}
    assert 5 <= len(lines) <= 7 and 20 <= len(products) <= 40
    assert {p["core"] for p in products.values()} == {"true", "false"}
    bought = defaultdict(set)
    for s in read_csv(tmp_path, "sales"):
        bought[s["account"]].add(products[s["product"]]["product_line"])
    buyers = list(bought.values())
    assert sum(len(b) < len(lines) for b in buyers) > 0.9 * len(buyers)  # white space left

    # Lines are bought in bundles: Analytics with Data Platform, hardly with Security.
    def share(line, among):
        return sum(line in b for b in among) / len(among)

    with_analytics = [b for b in buyers if "Analytics" in b]
    lift = share("Data Platform", with_analytics) / share("Data Platform", buyers)
    assert lift > 1.2
    assert share("Data Platform", with_analytics) > 3 * share("Security", with_analytics)
