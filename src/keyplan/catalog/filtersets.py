import django_filters
from django.db.models import Q

from keyplan.catalog.models import Product, ProductLine


class ProductFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    product_line = django_filters.ModelChoiceFilter(queryset=ProductLine.objects.all())
    is_active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = Product
        fields = ["q", "product_line", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(external_id__iexact=value))
