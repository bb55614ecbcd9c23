"""Filters for account data, shared by the HTML lists, the API and exports."""

import django_filters
from django import forms
from django.db.models import Q

from keyplan.accounts.choices import (
    AccountKind,
    Attitude,
    DecisionRole,
    InteractionKind,
    RelationshipStrength,
    Seniority,
)
from keyplan.accounts.models import Account, AccountLineage, Contact, Interaction
from keyplan.core.filters import MAX_ID, AccountFilter, IdFilter
from keyplan.people.models import User


def _distinct(field):
    def choices():
        values = (
            Account.objects.exclude(**{field: ""})
            .order_by(field)
            .values_list(field, flat=True)
            .distinct()[:500]
        )
        return [(v, v) for v in values]

    return choices


class AccountFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    owner = django_filters.ModelChoiceFilter(queryset=User.objects.filter(is_active=True))
    industry = django_filters.ChoiceFilter(choices=_distinct("industry"))
    country = django_filters.ChoiceFilter(choices=_distinct("country"))
    kind = django_filters.ChoiceFilter(choices=AccountKind.choices, label="Level")
    parent = IdFilter(field_name="parent_id", label="Parent account")
    within = IdFilter(method="filter_within", label="Under account")
    top_level = django_filters.BooleanFilter(
        field_name="parent",
        lookup_expr="isnull",
        label="Top of hierarchy",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )

    class Meta:
        model = Account
        fields = ["q", "owner", "industry", "country", "kind", "parent", "within", "top_level"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(external_id__iexact=value))

    def filter_within(self, queryset, name, value):
        return queryset.filter(
            pk__in=AccountLineage.objects.filter(ancestor_id=value).values("descendant_id")
        )


class ContactFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search")
    account = IdFilter(field_name="account_id", label="Account")
    seniority = django_filters.ChoiceFilter(choices=Seniority.choices)
    decision_role = django_filters.ChoiceFilter(choices=DecisionRole.choices)
    attitude = django_filters.ChoiceFilter(choices=Attitude.choices)
    relationship_strength = django_filters.ChoiceFilter(choices=RelationshipStrength.choices)
    is_active = django_filters.BooleanFilter(label="Still at the company")

    class Meta:
        model = Contact
        fields = [
            "q",
            "account",
            "seniority",
            "decision_role",
            "attitude",
            "relationship_strength",
            "is_active",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(last_name__icontains=value)
            | Q(first_name__icontains=value)
            | Q(title__icontains=value)
            | Q(email__iexact=value)
        )


class InteractionFilterSet(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", label="Account")
    contact = IdFilter(field_name="contacts", label="Contact")
    kind = django_filters.ChoiceFilter(choices=InteractionKind.choices)
    date_after = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label="On or after"
    )
    date_before = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label="On or before"
    )
    is_executive = django_filters.BooleanFilter()

    class Meta:
        model = Interaction
        fields = ["account", "contact", "kind", "date_after", "date_before", "is_executive"]


# The list pages' filters: the API's, with accounts typed as a person knows them — words
# of the name, or the id a link from another page carries — instead of ids alone.


class AccountPageFilterSet(AccountFilterSet):
    parent = AccountFilter(
        field_name="parent_id", name_field="parent__name", label="Parent account"
    )
    within = AccountFilter(method="filter_within", name_field="name", label="Under account")

    def filter_within(self, queryset, name, value):
        """The accounts under the one given by id, or under any whose name holds the words."""
        value = " ".join((value or "").split())
        if not value:
            return queryset
        if not value.isdigit():
            lineage = AccountLineage.objects.filter(ancestor__name__icontains=value)
            return queryset.filter(pk__in=lineage.values("descendant_id"))
        if int(value) > MAX_ID:
            return queryset.none()
        return super().filter_within(queryset, name, int(value))


class ContactPageFilterSet(ContactFilterSet):
    account = AccountFilter(field_name="account_id", name_field="account__name", label="Account")
