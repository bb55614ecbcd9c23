"""Analyses are cached per user, parameters and version of the sales roll-up: a page
answers from the cache until the facts change (any roll-up refresh bumps the version).
A result for someone who sees only part of the territory is also keyed by which accounts
they see, so an account reassigned away from a rep leaves their cached figures at once.
And by the calendar month: the forecast's history ends at the last complete month and
white space's windows end today, so a result from November is not served in December
even when no sale changed.

Right after the facts change, while their warm-up is under way (``territory.warm_up``), a
page or API request (a GET, ``territory.middleware``) that finds no result for the new
version answers with the last one computed for the same name, scope, parameters and
month — from the facts before — instead of computing it while a person waits, and says
so (``EarlierFigures``). Never when no warm-up for today's facts is under way, never from
another month or another set of visible accounts (both are in the pointer's key), never
for a computation started in the background or inside another computation."""

import contextlib
import contextvars
import hashlib
import uuid
from dataclasses import dataclass, field

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
    return _keys(name, user, params, sales_version())[0]


def _keys(name: str, user, params: dict, version: int) -> tuple[str, str]:
    """The result's key, and the key of the pointer to the last result computed for the
    same name, scope, parameters and month, whatever the version of the facts."""
    if user is None or user.sees_everything:
        scope_key = "all"
    else:
        scope_key = f"user{user.pk}:{_visible_fingerprint(user)}"
    month = f"{timezone.localdate():%Y-%m}"
    raw = f"{FORMAT}|{name}|{scope_key}|{sorted(params.items())}|{version}|{month}"
    last = f"last|{FORMAT}|{name}|{scope_key}|{sorted(params.items())}|{month}"
    return (
        "keyplan:analysis:" + hashlib.sha256(raw.encode()).hexdigest(),
        "keyplan:analysis-last:" + hashlib.sha256(last.encode()).hexdigest(),
    )


@dataclass
class EarlierFigures:
    """What one request answered from the facts before a change (empty: nothing)."""

    computed_at: list = field(default_factory=list)  # when each result was computed
    changed_at: list = field(default_factory=list)  # the change being taken in

    def __bool__(self) -> bool:
        return bool(self.computed_at)

    @property
    def sentence(self) -> str:
        from keyplan.core.words import moment

        # The warm-up computes the territory's pages first (seconds) and takes minutes
        # in all at 100,000 accounts (white space's models); a rep's figures are
        # computed on their first visit after it.
        return (
            f"Figures on this page are from before the change to sales or deals of "
            f"{moment(max(self.changed_at))} (computed at {moment(min(self.computed_at))}). "
            "keyplan is taking that change in now: reload in a few minutes for figures "
            "that include it."
        )


# Set by ``territory.middleware`` for a GET request: None elsewhere (the worker, commands,
# writes), so only a person's read is ever answered from earlier facts.
_earlier: contextvars.ContextVar[EarlierFigures | None] = contextvars.ContextVar(
    "keyplan_earlier_figures", default=None
)


def answering_request(figures: EarlierFigures):
    """Let results from earlier facts answer (collected in ``figures``) until the returned
    token is given to ``done``."""
    return _earlier.set(figures)


def done(token) -> None:
    _earlier.reset(token)


@contextlib.contextmanager
def todays_facts():
    """Within it (or a function decorated with it), results are of today's facts,
    computed if need be: a file a person downloads and keeps (an export) has no line at
    its top to say its figures are from before a change."""
    token = _earlier.set(None)
    try:
        yield
    finally:
        _earlier.reset(token)


# Large territory-wide results (``memo=True``: the forecast, tens of MB pickled on 100,000
# accounts, seconds to read back from the file cache) are also held by the process that
# last read them: {(name, params): (key, stamp, result)}. The stamp, a small entry written
# beside the result, says the cache still holds that very result (not one stored again
# under the same key, nor a cleared cache): one small read instead of the whole result.
_memo: dict = {}


def _stamp_key(key: str) -> str:
    return key + ":stamp"


def cached(name: str, user, params: dict, compute, *, memo: bool = False):
    version = sales_version()
    key, last_key = _keys(name, user, params, version)
    result = _read(name, user, params, key, memo)
    if result is None:
        result = _earlier_result(name, user, params, last_key, version, memo)
        if result is not None:
            return result
        with todays_facts():  # what a computation reads from the cache is of today's too
            result = compute()
        cache.set(key, result, TTL)
        _point(last_key, key, version)
        if memo and _memo_allowed(user):
            stamp = uuid.uuid4().hex
            cache.set(_stamp_key(key), stamp, TTL)
            _memo[_memo_key(name, params)] = (key, stamp, result)
    return result


def _point(last_key: str, key: str, version: int) -> None:
    held = cache.get(last_key)
    if held is None or held[0] <= version:  # a slower computation of older facts stays out
        cache.set(last_key, (version, key, timezone.now()), TTL)


def _earlier_result(name, user, params, last_key, version, memo):
    """The last result computed for ``last_key`` from earlier facts, when a person's
    request may have it (see the module's words); else None."""
    figures = _earlier.get()
    if figures is None:
        return None
    held = cache.get(last_key)
    if held is None or held[0] >= version:
        return None
    from keyplan.territory.warm_up import under_way

    changed_at = under_way(version)
    if changed_at is None:
        return None
    _, key, computed_at = held
    result = _read(name, user, params, key, memo)
    if result is None:
        return None  # dropped from the cache meanwhile: computed now
    figures.computed_at.append(computed_at)
    figures.changed_at.append(changed_at)
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
