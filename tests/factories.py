"""factory_boy factories for keyplan's models.

Accounts are created through ``accounts.services.account_create`` so the lineage
closure table (and with it visibility) is always right, as it is in the product.
"""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from keyplan.accounts.choices import InteractionKind, Seniority
from keyplan.accounts.models import Account, AccountTeamMember, Contact, Interaction
from keyplan.accounts.services import account_create
from keyplan.catalog.models import Product, ProductLine
from keyplan.people.choices import Role
from keyplan.people.models import Team, User
from keyplan.sales.choices import OpportunityStatus, Stage
from keyplan.sales.models import Opportunity, SaleLine
from keyplan.sales.services import opportunity_save, sale_line_save


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = factory.Sequence(lambda n: f"Last{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.REP
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class AccountFactory(DjangoModelFactory):
    class Meta:
        model = Account

    name = factory.Sequence(lambda n: f"Account {n}")
    external_id = factory.Sequence(lambda n: f"ACC-{n:06d}")
    industry = "Manufacturing"
    country = "Germany"
    employees = 1000
    annual_revenue = Decimal("50000000")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return account_create(**kwargs)


class AccountTeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = AccountTeamMember

    account = factory.SubFactory(AccountFactory)
    user = factory.SubFactory(UserFactory)
    role = "account_manager"


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    external_id = factory.Sequence(lambda n: f"CON-{n:06d}")
    first_name = factory.Sequence(lambda n: f"Ada{n}")
    last_name = factory.Sequence(lambda n: f"Lovelace{n}")
    title = "Head of IT"
    function = "IT"
    seniority = Seniority.DIRECTOR
    email = factory.LazyAttribute(lambda c: f"{c.first_name.lower()}@customer.example")


class InteractionFactory(DjangoModelFactory):
    class Meta:
        model = Interaction

    account = factory.SubFactory(AccountFactory)
    kind = InteractionKind.MEETING
    date = datetime.date(2026, 3, 1)
    subject = "Quarterly review"


class ProductLineFactory(DjangoModelFactory):
    class Meta:
        model = ProductLine
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Line {n}")


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    name = factory.Sequence(lambda n: f"Product {n}")
    external_id = factory.Sequence(lambda n: f"PRD-{n:05d}")
    product_line = factory.SubFactory(ProductLineFactory)
    list_price = Decimal("1000.00")


class SaleLineFactory(DjangoModelFactory):
    class Meta:
        model = SaleLine

    account = factory.SubFactory(AccountFactory)
    product = factory.SubFactory(ProductFactory)
    date = datetime.date(2026, 1, 15)
    amount = Decimal("1200.00")
    quantity = Decimal("1")
    external_id = factory.Sequence(lambda n: f"SL-{n:08d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return sale_line_save(sale_line=model_class(*args, **kwargs))


class OpportunityFactory(DjangoModelFactory):
    class Meta:
        model = Opportunity

    account = factory.SubFactory(AccountFactory)
    name = factory.Sequence(lambda n: f"Deal {n}")
    stage = Stage.PROPOSAL
    status = OpportunityStatus.OPEN
    amount = Decimal("50000.00")
    probability = 50
    created_date = datetime.date(2026, 1, 1)
    close_date = datetime.date(2026, 6, 30)
    external_id = factory.Sequence(lambda n: f"OPP-{n:06d}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return opportunity_save(opportunity=model_class(*args, **kwargs))
