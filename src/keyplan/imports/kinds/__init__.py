"""The import kinds, by name."""

from keyplan.imports.kinds.accounts import AccountsKind
from keyplan.imports.kinds.contacts import ContactsKind
from keyplan.imports.kinds.interactions import InteractionsKind
from keyplan.imports.kinds.opportunities import OpportunitiesKind
from keyplan.imports.kinds.opportunity_products import OpportunityProductsKind
from keyplan.imports.kinds.products import ProductsKind
from keyplan.imports.kinds.quotas import QuotasKind
from keyplan.imports.kinds.sales import SalesKind
from keyplan.imports.kinds.users import UsersKind

KINDS = {
    kind.name: kind
    for kind in (
        AccountsKind,
        ContactsKind,
        ProductsKind,
        SalesKind,
        OpportunitiesKind,
        OpportunityProductsKind,
        UsersKind,
        InteractionsKind,
        QuotasKind,
    )
}
