"""API representations, one module per subject. Writes go through the same services
and rules as the pages; references accept only records the user may see."""

from keyplan.api.serializers.accounts import (
    AccountSerializer,
    ContactSerializer,
    InteractionSerializer,
    TeamMemberSerializer,
)
from keyplan.api.serializers.catalog import ProductLineSerializer, ProductSerializer
from keyplan.api.serializers.people import UserSerializer
from keyplan.api.serializers.sales import OpportunitySerializer, SaleLineSerializer

__all__ = [
    "AccountSerializer",
    "ContactSerializer",
    "InteractionSerializer",
    "OpportunitySerializer",
    "ProductLineSerializer",
    "ProductSerializer",
    "SaleLineSerializer",
    "TeamMemberSerializer",
    "UserSerializer",
]
