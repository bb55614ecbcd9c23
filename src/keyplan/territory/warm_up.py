"""Whether the warm-up of the facts' current version is under way, said through the cache
(shared by the web server and the worker), so that a page may answer with the figures of
the facts before while it runs (``analysis.cache``), and only while it runs.

Under way means: the one-at-a-time key (``tasks.WARMING_KEY``) holds this version, and
either the warm-up's task beats (a thread of the task refreshes a key every
``BEAT_SECONDS``, which lapses ``ALIVE_SECONDS`` after a worker stopped) or it was queued
less than ``QUEUED_SECONDS`` ago and has not started yet. A warm-up that failed releases
the key; one whose worker stopped stops beating (a worker that takes it up again beats
again); a worker that never takes it up leaves it queued, which counts for
``QUEUED_SECONDS`` only. The key itself lapses after ``tasks.WARMING_SECONDS``."""

import contextlib
import datetime
import threading

from django.core.cache import cache
from django.utils import timezone

QUEUED_SECONDS = 60
BEAT_SECONDS = 15
ALIVE_SECONDS = 60


def _queued_key(version: int) -> str:
    return f"keyplan:analyses-warm-up:{version}:queued"


def _alive_key(version: int) -> str:
    return f"keyplan:analyses-warm-up:{version}:alive"


def mark_queued(version: int, seconds: int) -> None:
    """Called with the one-at-a-time key taken for ``version``: when its change came."""
    cache.set(_queued_key(version), timezone.now(), seconds)


def under_way(version: int) -> datetime.datetime | None:
    """When the change to ``version`` was committed, if its warm-up is queued or running
    now (see the module's words); else None."""
    from keyplan.territory.tasks import WARMING_KEY

    if cache.get(WARMING_KEY) != version:
        return None
    changed_at = cache.get(_queued_key(version))
    if changed_at is None:
        return None
    if cache.get(_alive_key(version)) is not None:
        return changed_at
    if timezone.now() - changed_at < datetime.timedelta(seconds=QUEUED_SECONDS):
        return changed_at  # queued, not started yet
    return None


@contextlib.contextmanager
def beating(version: int):
    """While the warm-up of ``version`` runs: a thread says it is alive every
    ``BEAT_SECONDS`` (the warm-up's steps take up to minutes at 100,000 accounts, so the
    steps themselves cannot); the key goes when it ends, whichever way."""
    stop = threading.Event()

    def beat():
        while True:
            cache.set(_alive_key(version), True, ALIVE_SECONDS)
            if stop.wait(BEAT_SECONDS):
                return

    thread = threading.Thread(target=beat, name=f"warm-up {version} alive", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()
        cache.delete(_alive_key(version))


def release(version: int) -> None:
    """The warm-up of ``version`` ended without warming (it failed): pages compute again,
    and the next change may queue its own warm-up at once."""
    from keyplan.territory.tasks import WARMING_KEY

    if cache.get(WARMING_KEY) == version:
        cache.delete(WARMING_KEY)
    cache.delete(_queued_key(version))
