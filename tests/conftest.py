import pytest
from rest_framework.test import APIClient

from keyplan.people.choices import Role
from tests.factories import AccountFactory, TeamFactory, UserFactory


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
