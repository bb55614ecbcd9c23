"""A territory regenerated with --flush opens like a fresh demo: tiers from the profile
sales ops already made, stakeholder roles, and nothing left over from the old one."""

import pytest

from keyplan.accounts.models import AccountLineage
from keyplan.catalog.models import Product
from keyplan.territory.models import AccountTier, IcpVersion, StakeholderRole
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


def test_a_flushed_territory_gets_tiers_and_roles_again():
    run_generate("--accounts", 30)
    assert AccountTier.objects.count() == 30
    run_generate("--accounts", 20, "--flush")
    assert IcpVersion.objects.count() == 1  # sales ops' profile is kept
    assert AccountTier.objects.count() == 20
    assert StakeholderRole.objects.filter(product_line__name="Analytics").exists()
    assert AccountLineage.objects.filter(depth=0).count() == 20
    assert Product.objects.count() == 28  # the catalogue is replaced, not doubled
