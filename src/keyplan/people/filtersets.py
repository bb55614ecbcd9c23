import django_filters
from django.db.models import Q

from keyplan.people.choices import Role
from keyplan.people.models import Team, User


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all())

    class Meta:
        model = User
        fields = ["q", "role", "team", "is_active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__iexact=value)
        )
