"""Analyses are cached per user, parameters and version of the sales roll-up: a page
answers from the cache until the facts change (any roll-up refresh bumps the version).
A result for someone who sees only part of the territory is also keyed by which accounts
they see, so an account reassigned away from a rep leaves their cached figures at once.
And by the calendar month: the forecast's history ends at the last complete month and
white space's windows end today, so a result from November is not served in December
even when no sale changed."""

import hashlib
import uuid

from django.core.cache import cache
from django.utils import timezone

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
    month = f"{timezone.localdate():%Y-%m}"
    raw = f"{FORMAT}|{name}|{scope_key}|{sorted(params.items())}|{sales_version()}|{month}"
    return "keyplan:analysis:" + hashlib.sha256(raw.encode()).hexdigest()


# Large territory-wide results (``memo=True``: the forecast, tens of MB pickled on 100,000
# accounts, seconds to read back from the file cache) are also held by the process that
# last read them: {(name, params): (key, stamp, result)}. The stamp, a small entry written
# beside the result, says the cache still holds that very result (not one stored again
# under the same key, nor a cleared cache): one small read instead of the whole result.
_memo: dict = {}


def _stamp_key(key: str) -> str:
    return key + ":stamp"


def cached(name: str, user, params: dict, compute, *, memo: bool = False):
    key = cache_key(name, user, params)
    result = _read(name, user, params, key, memo)
    if result is None:
        result = compute()
        cache.set(key, result, TTL)
        if memo and _memo_allowed(user):
            stamp = uuid.uuid4().hex
            cache.set(_stamp_key(key), stamp, TTL)
            _memo[_memo_key(name, params)] = (key, stamp, result)
    return result


def peek(name: str, user, params: dict, *, memo: bool = False):
    """The cached result if there is one; never computes."""
    return _read(name, user, params, cache_key(name, user, params), memo)


def _memo_allowed(user) -> bool:
    # Only territory-wide results: one per name and parameters, whoever looks.
    return user is None


def _memo_key(name: str, params: dict) -> tuple:
    return (name, repr(sorted(params.items())))


def _read(name, user, params, key, memo):
    if not (memo and _memo_allowed(user)):
        return cache.get(key)
    stamp = cache.get(_stamp_key(key))
    held = _memo.get(_memo_key(name, params))
    if stamp is not None and held is not None and held[:2] == (key, stamp):
        return held[2]
    result = cache.get(key)
    if result is None:
        return None
    if stamp is None:
        # Stored before stamps (or the stamp was dropped): stamp what is there now.
        stamp = uuid.uuid4().hex
        if not cache.add(_stamp_key(key), stamp, TTL):
            return result  # another process stamped it meanwhile: hold it next time
    _memo[_memo_key(name, params)] = (key, stamp, result)
    return result


def _visible_fingerprint(user) -> str:
    """Count, sum and largest id of the accounts ``user`` sees (one aggregate query):
    changes whenever an account enters or leaves their view."""
    from django.db.models import Count, Max, Sum

    from keyplan.accounts.models import Account

    seen = Account.objects.visible_to(user).aggregate(n=Count("pk"), s=Sum("pk"), m=Max("pk"))
    return f"{seen['n']}-{seen['s']}-{seen['m']}"
