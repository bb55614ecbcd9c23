"""Production settings with a 1-second SQLite busy timeout instead of 20, so a test can
show the worker outliving "database is locked" without waiting 20 seconds a time."""

from keyplan.settings import *  # noqa: F403
from keyplan.settings import DATABASES

DATABASES["default"]["OPTIONS"]["timeout"] = 1
