"""The default analysis window kept with the roll-up (``SalesYear``): it must always say
what summing the roll-up over the 12 months to the latest sale says, whatever was
written, moved or deleted, because every default analysis reads it instead."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from keyplan.accounts.models import Account
from keyplan.sales.models import SalesMonth, SalesYear, SalesYearWindow
from keyplan.sales.rollup import rollup_refresh
from keyplan.sales.services import sale_line_delete, sale_line_save
from keyplan.territory.analysis.facts import in_window
from keyplan.territory.analysis.params import Window
from keyplan.territory.analysis.pareto import pareto
from tests.factories import AccountFactory, ProductFactory, SaleLineFactory


def kept():
    return {
        (a, p): amount
        for a, p, amount in SalesYear.objects.values_list("account_id", "product_id", "amount")
    }


def summed():
    """What the roll-up says for the default window, summed the slow way."""
    window = Window.default()
    rows = (
        SalesMonth.objects.filter(month__gte=window.start, month__lte=window.end)
        .values("account_id", "product_id")
        .annotate(a=Sum("amount"))
        .values_list("account_id", "product_id", "a")
    )
    return {(a, p): amount for a, p, amount in rows}


@pytest.mark.django_db
def test_holds_the_twelve_months_to_the_latest_sale():
    acme, globex = AccountFactory(name="Acme"), AccountFactory(name="Globex")
    cloud, support = ProductFactory(name="Cloud"), ProductFactory(name="Support")
    SaleLineFactory(account=acme, product=cloud, date=datetime.date(2024, 10, 31), amount=500)
    SaleLineFactory(account=acme, product=cloud, date=datetime.date(2024, 11, 1), amount=100)
    SaleLineFactory(account=acme, product=cloud, date=datetime.date(2025, 3, 9), amount=20)
    SaleLineFactory(account=acme, product=support, date=datetime.date(2025, 10, 2), amount=7)
    SaleLineFactory(account=globex, product=support, date=datetime.date(2025, 10, 30), amount=3)
    # Latest sale October 2025: the window is November 2024 to October 2025, so the
    # 500 sold on 31 October 2024 is outside it.
    assert SalesYearWindow.objects.get().last_month == datetime.date(2025, 10, 1)
    assert kept() == {
        (acme.pk, cloud.pk): Decimal(120),
        (acme.pk, support.pk): Decimal(7),
        (globex.pk, support.pk): Decimal(3),
    }


@pytest.mark.django_db
def test_a_sale_in_a_new_month_moves_the_window_for_every_account():
    acme, globex = AccountFactory(name="Acme"), AccountFactory(name="Globex")
    cloud = ProductFactory()
    SaleLineFactory(account=acme, product=cloud, date=datetime.date(2025, 1, 5), amount=100)
    SaleLineFactory(account=acme, product=cloud, date=datetime.date(2025, 6, 5), amount=10)
    assert kept() == {(acme.pk, cloud.pk): Decimal(110)}
    # Globex buys in January 2026: January 2025 leaves the window — for Acme too, though
    # nothing of Acme's was written.
    line = SaleLineFactory(account=globex, product=cloud, date=datetime.date(2026, 1, 2), amount=1)
    assert kept() == {(acme.pk, cloud.pk): Decimal(10), (globex.pk, cloud.pk): Decimal(1)}
    # Deleting that sale moves the window back.
    sale_line_delete(sale_line=line)
    assert kept() == {(acme.pk, cloud.pk): Decimal(110)}


@pytest.mark.django_db
def test_deleting_an_account_takes_its_rows_and_analyses_agree(org):
    cloud = ProductFactory()
    SaleLineFactory(account=org.mine, product=cloud, date=datetime.date(2025, 6, 5), amount=900)
    SaleLineFactory(account=org.teammate, product=cloud, date=datetime.date(2025, 6, 5), amount=100)
    window = Window.default()
    assert in_window(window).model is SalesYear
    assert in_window(Window(window.start, window.end - datetime.timedelta(days=1))).model is (
        SalesMonth
    )
    result = pareto(user=None, window=window)
    assert {r.name: r.revenue for r in result.rows if r.revenue} == {
        org.mine.name: Decimal(900),
        org.teammate.name: Decimal(100),
    }
    Account.objects.filter(pk=org.teammate.pk).delete()
    assert kept() == {(org.mine.pk, cloud.pk): Decimal(900)}


@pytest.mark.django_db
def test_no_sales_keeps_nothing():
    line = SaleLineFactory(date=datetime.date(2025, 6, 5))
    sale_line_delete(sale_line=line)
    assert kept() == {}
    assert SalesYearWindow.objects.get().last_month is None


class TestAlwaysMatchesTheRollup(HypothesisTestCase):
    """Any sequence of writes, moves and deletes: the kept window equals the sum."""

    @settings(max_examples=25, deadline=None)
    @given(
        st.lists(
            st.tuples(
                st.sampled_from(["add", "move", "delete", "rebuild"]),
                st.integers(min_value=0, max_value=2),  # account
                st.integers(min_value=0, max_value=1),  # product
                st.integers(min_value=0, max_value=30),  # month offset from Jan 2024
                st.integers(min_value=-50, max_value=1000),  # amount
            ),
            min_size=1,
            max_size=12,
        )
    )
    def test_writes(self, steps):
        accounts = [AccountFactory() for _ in range(3)]
        products = [ProductFactory() for _ in range(2)]
        lines = []
        for op, a, p, offset, amount in steps:
            day = datetime.date(2024 + offset // 12, offset % 12 + 1, 10)
            if op == "add" or not lines:
                lines.append(
                    SaleLineFactory(
                        account=accounts[a], product=products[p], date=day, amount=amount
                    )
                )
            elif op == "move":
                line = lines[offset % len(lines)]
                line.account, line.date = accounts[a], day
                sale_line_save(sale_line=line)
            elif op == "delete":
                sale_line_delete(sale_line=lines.pop(offset % len(lines)))
            else:
                rollup_refresh()
            assert kept() == summed()
