"""`keyplan check --deploy`: email really sent while its links still point at this
machine would reach people with links that open nothing."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}  # noqa: S104 (a name, not a bind)


@checks.register(checks.Tags.security, deploy=True)
def base_url_reachable(app_configs, **kwargs):
    host = urlsplit(settings.KEYPLAN_BASE_URL).hostname or ""
    if settings.EMAIL_HOST and host in LOCAL_HOSTS:
        return [
            checks.Warning(
                f"KEYPLAN_BASE_URL is {settings.KEYPLAN_BASE_URL}, while email goes out "
                f"through {settings.EMAIL_HOST}: the links in every email and the calendar "
                "addresses point at this machine, which nobody else can open.",
                hint="Set KEYPLAN_BASE_URL to the address people open keyplan at, e.g. "
                "https://keyplan.example.com.",
                id="keyplan.W101",
            )
        ]
    return []
