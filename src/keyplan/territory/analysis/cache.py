"""Analyses are cached per user, parameters and version of the sales roll-up: a page
answers from the cache until the facts change (any roll-up refresh bumps the version).
A result for someone who sees only part of the territory is also keyed by which accounts
they see, so an account reassigned away from a rep leaves their cached figures at once."""

import hashlib

from django.core.cache import cache

from keyplan.sales.rollup import sales_version

TTL = 6 * 3600
# Bumped whenever what is cached changes shape (e.g. amounts in cents, lazy audience
# rows), so results pickled by an older keyplan are never read by a newer one after an
# upgrade: the file cache outlives a deploy and the facts' version does not move.
FORMAT = 7  # 4: white space's items as sorted columns; 5: TierScore with slots; 6: Pareto basis
# 7: white-space cells carry a probability and its reasons


def cache_key(name: str, user, params: dict) -> str:
    if user is None or user.sees_everything:
        scope_key = "all"
    else:
        scope_key = f"user{user.pk}:{_visible_fingerprint(user)}"
    raw = f"{FORMAT}|{name}|{scope_key}|{sorted(params.items())}|{sales_version()}"
    return "keyplan:analysis:" + hashlib.sha256(raw.encode()).hexdigest()


def cached(name: str, user, params: dict, compute):
    key = cache_key(name, user, params)
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, TTL)
    return result


def peek(name: str, user, params: dict):
    """The cached result if there is one; never computes."""
    return cache.get(cache_key(name, user, params))


def _visible_fingerprint(user) -> str:
    """Count, sum and largest id of the accounts ``user`` sees (one aggregate query):
    changes whenever an account enters or leaves their view."""
    from django.db.models import Count, Max, Sum

    from keyplan.accounts.models import Account

    seen = Account.objects.visible_to(user).aggregate(n=Count("pk"), s=Sum("pk"), m=Max("pk"))
    return f"{seen['n']}-{seen['s']}-{seen['m']}"
