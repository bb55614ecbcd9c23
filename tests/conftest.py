import pytest
from rest_framework.test import APIClient

from keyplan.people.choices import Role
from tests.factories import AccountFactory, TeamFactory, UserFactory

_WHITENOISE = [
    "AUTOREFRESH",
    "MAX_AGE",
    "ALLOW_ALL_ORIGINS",
    "CHARSET",
    "MIMETYPES",
    "ADD_HEADERS_FUNCTION",
    "INDEX_FILE",
    "IMMUTABLE_FILE_TEST",
    "USE_FINDERS",
    "STATIC_PREFIX",
    "ROOT",
    "KEEP_ONLY_HASHED_FILES",
]


def _scan_static_files_once():
    """Every test client (``Client()``, ``APIClient()``) loads the middleware again, and
    WhiteNoise's then lists and stats every static file the finders know (the API
    documentation's alone are hundreds): about a tenth of a second per client. The files
    do not change while the suite runs, so each process scans them once per set of
    static-file settings and hands later clients the same entries; what is served, and
    with which headers, is unchanged."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    scan = WhiteNoiseMiddleware.add_files_from_finders
    scanned: dict[tuple, dict] = {}

    def add_files_from_finders(self):
        key = (
            self.static_prefix,
            settings.DEBUG,
            tuple(settings.INSTALLED_APPS),
            tuple(settings.STATICFILES_FINDERS),
            repr(settings.STATICFILES_DIRS),
            *(repr(getattr(settings, "WHITENOISE_" + name, None)) for name in _WHITENOISE),
        )
        if key not in scanned:
            before = dict(self.files)
            scan(self)
            scanned[key] = {u: f for u, f in self.files.items() if before.get(u) is not f}
        self.files.update(scanned[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders


_scan_static_files_once()


@pytest.fixture
def org(db):
    """A small sales organisation: two reps in one manager's team, another rep outside
    it, an executive and sales ops; each rep owns one account (the first with a child)."""
    manager = UserFactory(username="manager", role=Role.MANAGER)
    team = TeamFactory(name="Enterprise", manager=manager)
    rep = UserFactory(username="rep", role=Role.REP, team=team, manager=manager)
    rep2 = UserFactory(username="rep2", role=Role.REP, team=team, manager=manager)
    other = UserFactory(username="other", role=Role.REP)
    executive = UserFactory(username="exec", role=Role.EXECUTIVE)
    ops = UserFactory(username="ops", role=Role.SALES_OPS)
    mine = AccountFactory(name="Mine Group", owner=rep)
    mine_child = AccountFactory(name="Mine Division", parent=mine, kind="division")
    teammate = AccountFactory(name="Teammate Corp", owner=rep2)
    theirs = AccountFactory(name="Theirs Inc", owner=other)

    class Org:
        pass

    o = Org()
    o.__dict__.update(locals())
    return o


@pytest.fixture
def api_client():
    return APIClient()


class LoadingClient(APIClient):
    """A well-behaved API client: a change or delete sent without a version first reads
    the item and names the version it read (If-Match), as the API requires (428
    without). Tests of the version rules themselves use the plain ``api_client``."""

    def _with_version(self, method, path, data=None, **extra):
        sends_version = isinstance(data, dict) and "version" in data
        if not sends_version and "HTTP_IF_MATCH" not in extra:
            loaded = self.get(path.split("?")[0])
            if loaded.status_code == 200 and loaded.get("ETag"):
                extra["HTTP_IF_MATCH"] = loaded["ETag"]
        return getattr(super(), method)(path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self._with_version("patch", path, data, **extra)

    def put(self, path, data=None, **extra):
        return self._with_version("put", path, data, **extra)

    def delete(self, path, data=None, **extra):
        return self._with_version("delete", path, data, **extra)


@pytest.fixture
def loading_client():
    return LoadingClient()


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache (analyses and import progress live there)."""
    from django.core.cache import cache

    cache.clear()
    yield


# Modules whose tests take longest (tens of seconds each on a 2-CPU machine), longest
# first. They start first, so that with pytest-xdist no worker is left running one of
# them alone at the end of the run while the other has nothing left to do. Tests that
# time locks and waits are left where they are. pytest-django then sorts the tests into
# its groups (database, transactional, none) keeping this order within each group.
SLOW_FIRST = [
    "tests/browser/test_whitespace_tap.py",
    "tests/browser/test_whitespace_phone.py",
    "tests/core/test_authorization_matrix.py",
    "tests/operations/test_backup_restore.py",
    "tests/browser/test_whitespace_table_tap.py",
    "tests/api/test_api_schemathesis.py",
    "tests/api/test_api_schemathesis_stateful.py",
    "tests/territory/test_generate_refuses_existing.py",
    "tests/browser/test_relationship_map_readable.py",
    "tests/browser/test_account_forecast_phone.py",
    "tests/plans/test_demo_plans.py",
    "tests/browser/test_stage_history_phone.py",
    "tests/outputs/test_territory_deck_fits.py",
    "tests/outputs/test_demo_plans_export.py",
    "tests/territory/test_generate_options.py",
    "tests/plans/test_demo_plans_execution.py",
    "tests/browser/test_phone_width.py",
    "tests/salesplan/test_demo_quotas.py",
    "tests/forecast/test_backtest_beats_seasonal_naive.py",
    "tests/forecast/test_stage_rates_learned_from_history.py",
]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    rank = {path: n for n, path in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::")[0], len(rank)))
