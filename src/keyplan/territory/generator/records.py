"""What the generator hands to a writer: plain records numbered from 1 in the order they
are made (numbers, not database ids, so the same records can become CSV rows or rows with
explicit primary keys), and the external ids both outputs share."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

# The last month of sales history when none is given: a constant, not today, so the same
# seed gives the same territory whenever it is generated.
DEFAULT_END = datetime.date(2026, 10, 1)


@dataclass(frozen=True)
class Spec:
    """What to generate: ``end`` is the first day of the last month of sales history."""

    seed: int = 42
    accounts: int = 300
    end: datetime.date = DEFAULT_END
    months: int = 36
    adoption: bool = False  # lines adopted during the history (generator/adoption.py)


@dataclass
class Counts:
    users: int = 0
    accounts: int = 0
    groups: int = 0  # top-level accounts with children
    contacts: int = 0
    products: int = 0
    sale_lines: int = 0
    opportunities: int = 0
    interactions: int = 0
    team_members: int = 0


def account_xid(n: int) -> str:
    return f"ACC-{n:06d}"


def contact_xid(n: int) -> str:
    return f"CON-{n:08d}"


def product_xid(n: int) -> str:
    return f"PRD-{n:04d}"


def opportunity_xid(n: int) -> str:
    return f"OPP-{n:08d}"


def sale_xid(n: int) -> str:
    return f"SL-{n:09d}"


def interaction_xid(n: int) -> str:
    return f"INT-{n:08d}"


@dataclass
class UserRec:
    n: int
    username: str
    first_name: str
    last_name: str
    role: str
    title: str
    team: str | None
    manager: int | None  # user number
    weekly_hours: int

    @property
    def email(self) -> str:
        return f"{self.username}@keyplan.example"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass
class ProductRec:
    n: int
    line: str
    core: bool
    name: str
    list_price: Decimal  # per unit
    recurring: bool  # invoiced monthly, sold on yearly contracts

    @property
    def external_id(self) -> str:
        return product_xid(self.n)


@dataclass
class AccountRec:
    n: int
    name: str
    kind: str
    parent: int | None
    depth: int
    industry: str
    country: str
    region: str
    employees: int
    annual_revenue: Decimal
    website: str
    owner: int  # user number

    @property
    def external_id(self) -> str:
        return account_xid(self.n)


@dataclass
class TeamMemberRec:
    account: int
    user: int
    role: str


@dataclass
class ContactRec:
    n: int
    account: int
    first_name: str
    last_name: str
    title: str
    function: str
    seniority: str
    reports_to: int | None  # contact number, always in the same account
    email: str
    phone: str
    is_active: bool
    decision_role: str
    attitude: str
    strength: str
    relationship_owner: int | None  # user number

    @property
    def external_id(self) -> str:
        return contact_xid(self.n)


@dataclass
class InteractionRec:
    n: int
    account: int
    date: datetime.date
    kind: str
    contacts: list[int]
    user: int  # our participant
    executive: bool
    subject: str

    @property
    def external_id(self) -> str:
        return interaction_xid(self.n)


@dataclass
class OpportunityRec:
    n: int
    account: int
    product: int
    name: str
    stage: str
    status: str
    amount: Decimal
    probability: int
    created_date: datetime.date
    close_date: datetime.date
    owner: int
    # The stages the deal went through, first to current (generator/stages.py).
    history: list["StageStepRec"] = field(default_factory=list)

    @property
    def external_id(self) -> str:
        return opportunity_xid(self.n)


@dataclass
class StageStepRec:
    from_stage: str  # "" for the stage the deal was created at
    to_stage: str
    probability: int
    at: datetime.datetime


@dataclass
class SaleRec:
    n: int
    account: int
    product: int
    date: datetime.date
    amount: Decimal
    quantity: int

    @property
    def external_id(self) -> str:
        return sale_xid(self.n)
