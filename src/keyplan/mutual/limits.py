"""How often a shared link may be used: per link and per address, counted in the cache
(fixed windows). A customer reading and updating their plan stays far below these; a
script guessing codes or hammering a link is answered 429 with a plain sentence."""

from django.core.cache import cache

# (requests, seconds)
PER_ADDRESS = (60, 60)
PER_LINK = (300, 600)
# Codes sent per link, and codes tried per link, in a quarter of an hour.
CODES_SENT_PER_LINK = (5, 900)
CODES_TRIED_PER_LINK = (10, 900)

MESSAGE = "Too many requests in a short time. Wait a few minutes, then open the link again."


def _counted(key: str, limit: tuple[int, int]) -> int:
    _, seconds = limit
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1


def over(key: str, limit: tuple[int, int]) -> bool:
    """Count one more use of ``key``; whether it is past ``limit``."""
    return _counted(f"keyplan:mutual:{key}", limit) > limit[0]
