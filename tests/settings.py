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
