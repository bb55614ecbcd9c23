"""The territory's forecast page never computes the forecast while a person waits (nor
loads the forecasting library): without a computed forecast it says it is being
computed and asks the background worker for it; once computed, the page shows it with
the accepted tiers as they are now."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.catalog.models import ProductLine
from keyplan.forecast import engine
from keyplan.forecast.selectors import territory_result
from keyplan.territory.models import AccountTier
from tests.factories import ProductFactory, SaleLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(org):
    cloud = ProductFactory(product_line=ProductLine.objects.create(name="Cloud"))
    for m in range(30):
        day = datetime.date(2024 + (4 + m) // 12, (4 + m) % 12 + 1, 5)
        SaleLineFactory(account=org.mine, product=cloud, date=day, amount=Decimal("1000"))
        SaleLineFactory(account=org.theirs, product=cloud, date=day, amount=Decimal("400"))
    return org


def accept(account, tier):
    AccountTier.objects.update_or_create(
        account=account, defaults={"tier": tier, "score": 80, "accepted_at": timezone.now()}
    )


def test_without_a_computed_forecast_the_page_asks_the_worker_and_says_so(
    client, history, monkeypatch
):
    asked = []
    monkeypatch.setattr("keyplan.forecast.apps.queue_forecast", asked.append)

    def no_computing(*args, **kwargs):
        raise AssertionError("the page computed the forecast")

    monkeypatch.setattr(engine, "run", no_computing)
    client.force_login(history.ops)
    page = client.get("/territory/forecast/?horizon=6")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="forecast-computing"' in text
    assert "being computed in the background" in text
    assert asked == [6]  # the worker is asked for the months the person chose


def test_once_computed_the_page_shows_it_with_the_tiers_as_accepted_now(client, history):
    territory_result(12)  # what the background worker does after the sales change
    accept(history.mine, "A")
    client.force_login(history.ops)
    page = client.get("/territory/forecast/").content.decode()
    assert 'data-testid="forecast-computing"' not in page
    assert "Tier A" in page and "No tier" in page
    # A tier accepted later shows on the next visit (the cached tiers are refreshed).
    accept(history.theirs, "B")
    page = client.get("/territory/forecast/").content.decode()
    assert "Tier B" in page and "No tier" not in page


def test_the_tiers_cache_key_is_one_any_cache_accepts(history):
    """The accepted tiers were cached under a key holding a date with spaces, which
    memcached refuses (Django warned on every forecast page)."""
    import warnings

    from django.core.cache.backends.base import CacheKeyWarning

    from keyplan.forecast.selectors import tier_map

    accept(history.mine, "A")
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert tier_map() == {history.mine.pk: "A"}
