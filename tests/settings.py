"""Settings for the test suite: production settings with a throwaway secret key.

Tests run with KEYPLAN_DEBUG off, as production does, so error pages, 404s and
security behaviour are what a user would get.
"""

import os

os.environ.setdefault("KEYPLAN_SECRET_KEY", "test-only-secret-key-" + "x" * 40)
os.environ.setdefault("KEYPLAN_DEBUG", "0")

from keyplan.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# In memory, but keeping as many entries as production's file cache does.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": CACHES["default"]["OPTIONS"],  # noqa: F405
    }
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    # The suite's throwaway database need not wait for each commit to reach the disk
    # (transactional tests commit and truncate every table after each test); a crash
    # loses nothing worth keeping. Subprocesses the tests start use keyplan's settings.
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = "-c synchronous_commit=off"
