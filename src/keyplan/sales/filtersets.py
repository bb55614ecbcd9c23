import django_filters
from django.db.models import Q

from keyplan.catalog.models import ProductLine
from keyplan.core.filters import AccountFilter, IdFilter
from keyplan.people.models import User
from keyplan.sales.choices import OpportunityStatus
from keyplan.sales.models import Opportunity, SaleLine


class SaleLineFilterSet(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", label="Account")
    product = IdFilter(field_name="product_id", label="Product")
    product_line = IdFilter(field_name="product__product_line_id", label="Product line")
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="Sold on or after"
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="Sold on or before"
    )

    class Meta:
        model = SaleLine
        fields = ["account", "product", "product_line", "date_after", "date_before"]


class OpportunityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    account = IdFilter(field_name="account_id", label="Account")
    status = django_filters.ChoiceFilter(choices=OpportunityStatus.choices)
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.filter(is_active=True))
    product_line = django_filters.ModelChoiceFilter(
        field_name="product__product_line", queryset=ProductLine.objects.all(), label="Product line"
    )
    close_after = django_filters.DateFilter(
        field_name="close_date", lookup_expr="gte", label="Closes on or after"
    )
    close_before = django_filters.DateFilter(
        field_name="close_date", lookup_expr="lte", label="Closes on or before"
    )

    class Meta:
        model = Opportunity
        fields = ["q", "account", "status", "owner", "product_line", "close_after", "close_before"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(external_id__iexact=value))


class OpportunityPageFilterSet(OpportunityFilterSet):
    """The opportunities page's filters: the API's, with the account typed as a person
    knows it (words of its name, or the id a link carries) instead of an id alone."""

    account = AccountFilter(field_name="account_id", name_field="account__name", label="Account")
