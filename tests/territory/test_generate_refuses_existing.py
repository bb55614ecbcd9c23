"""keyplan generate fills an empty database only, unless told to --flush the old one."""

import pytest
from django.core.management import CommandError

from keyplan.accounts.models import Account, Contact
from keyplan.people.models import User
from keyplan.sales.models import SaleLine
from tests.factories import AccountFactory, UserFactory
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


def test_refuses_when_accounts_exist_and_leaves_them_alone():
    AccountFactory(name="Our real customer")
    with pytest.raises(CommandError, match="already holds a territory.*--flush"):
        run_generate("--accounts", 20)
    assert list(Account.objects.values_list("name", flat=True)) == ["Our real customer"]
    assert not User.objects.filter(username="rep").exists()


def test_flush_replaces_the_territory_and_keeps_the_people(tmp_path):
    run_generate("--accounts", 30, "--seed", 1)
    colleague = UserFactory(username="colleague")
    first = set(Account.objects.values_list("name", flat=True))
    output = run_generate("--accounts", 25, "--seed", 2, "--flush")
    assert "25 accounts" in output
    assert Account.objects.count() == 25
    assert set(Account.objects.values_list("name", flat=True)) != first
    assert not Contact.objects.exclude(account__in=Account.objects.all()).exists()
    assert User.objects.filter(pk=colleague.pk).exists()
    # The flushed and regenerated territory reads like a fresh one with the same seed.
    run_generate("--accounts", 25, "--seed", 2, "--csv", tmp_path)
    with open(tmp_path / "sales.csv", encoding="utf-8") as fh:
        assert SaleLine.objects.count() == sum(1 for _ in fh) - 1


def test_writing_files_is_allowed_whatever_the_database_holds(tmp_path):
    AccountFactory(name="Our real customer")
    run_generate("--accounts", 20, "--csv", tmp_path)
    assert (tmp_path / "accounts.csv").exists()
    assert Account.objects.count() == 1


def test_nonsense_options_are_refused_with_a_message():
    with pytest.raises(CommandError, match="--accounts must be at least 1"):
        run_generate("--accounts", 0)
    with pytest.raises(CommandError, match="not a month"):
        run_generate("--end", "October")
    assert not Account.objects.exists()
