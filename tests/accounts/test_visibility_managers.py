"""A manager sees the accounts of the people under them, whether they are linked as their
manager (``User.manager``) or lead the team they are in (``Team.manager``), down the
chain; not a stranger's, and reps do not see their teammates' accounts."""

import pytest

from keyplan.accounts.models import Account
from keyplan.people.choices import Role
from tests.factories import AccountFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def visible_names(user):
    return set(Account.objects.visible_to(user).values_list("name", flat=True))


def test_manager_sees_reports_through_team_and_through_manager_link():
    director = UserFactory(role=Role.MANAGER)
    boss = UserFactory(role=Role.MANAGER, manager=director)
    team = TeamFactory(name="Enterprise North", manager=boss)
    by_team = UserFactory(team=team)  # no manager link: only the team leads to boss
    teammate = UserFactory(team=team)
    by_link = UserFactory(manager=boss)  # no team: only the link leads to boss
    junior = UserFactory(team=TeamFactory(manager=by_link))  # two steps below boss
    stranger = UserFactory(team=TeamFactory(manager=UserFactory(role=Role.MANAGER)))
    for user, name in [
        (by_team, "By Team"),
        (teammate, "Teammate"),
        (by_link, "By Link"),
        (junior, "Junior"),
        (stranger, "Stranger"),
        (boss, "Boss's Own"),
    ]:
        AccountFactory(name=name, owner=user)
    AccountFactory(name="Under Junior", parent=Account.objects.get(name="Junior"))

    expected = {"By Team", "Teammate", "By Link", "Junior", "Under Junior", "Boss's Own"}
    assert visible_names(boss) == expected
    assert visible_names(director) == expected
    assert visible_names(by_link) == {"By Link", "Junior", "Under Junior"}
    assert visible_names(by_team) == {"By Team"}
    assert "Stranger" not in visible_names(director)
