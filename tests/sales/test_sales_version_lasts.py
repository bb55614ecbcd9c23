"""The sales version (what every cached analysis is keyed by) lasts until the facts
change: on the file cache keyplan uses, it used to fall back to 0 five minutes after a
change (Django's incr writes the key back with the default timeout), so the white-space
page called today's model "learned from the sales before the latest change" and later
changes reused numbers under which stale analyses had been cached."""

import time
from unittest import mock

import pytest
from django.core.cache import caches
from django.test import override_settings

from keyplan.sales import rollup

pytestmark = pytest.mark.django_db


def test_the_version_outlives_the_default_timeout_and_never_repeats(tmp_path):
    file_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    with override_settings(CACHES=file_cache):
        cache = caches.create_connection("default")
        with mock.patch.object(rollup, "cache", cache):
            rollup._bump_version()
            rollup._bump_version()
            second = rollup.sales_version()
            assert second > 0
            later = time.time() + 3600  # an hour with no sales change
            with mock.patch("django.core.cache.backends.filebased.time.time", return_value=later):
                assert rollup.sales_version() == second
            cache.delete(rollup.VERSION_KEY)  # lost (a full cache culls at random)
            rollup._bump_version()
            assert rollup.sales_version() > second  # never a number used before
