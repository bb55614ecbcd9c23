"""Filter fields shared by the filtersets of every app (HTML lists, API, exports)."""

import django_filters
from django import forms
from django.core.validators import MaxValueValidator
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

# The largest id a database column holds (64-bit); a larger number in a query string is
# refused as invalid input instead of overflowing the database driver.
MAX_ID = 2**63 - 1


# Described as an integer in the API schema (a plain NumberFilter reads as any number).
@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """A record id typed in a query string (``?account=12``): a whole number from 1 to
    ``MAX_ID``; anything else is a field error (400 in the API), never a server error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(*args, **kwargs)

    def get_max_validator(self):
        return MaxValueValidator(MAX_ID)


# Described as text in the API schema: an id or words of a name.
@extend_schema_field(OpenApiTypes.STR)
class AccountFilter(django_filters.CharFilter):
    """An account a list is filtered by, as a person types it — words of its name
    ("maple falcon") — or as links from other pages and API clients send it, its id
    (``?account=12``). ``name_field`` is the path to that account's name."""

    def __init__(self, *args, name_field: str, **kwargs):
        self.name_field = name_field
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"placeholder": "name", "autocomplete": "off"})
        )
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = " ".join((value or "").split())
        if not value:
            return qs
        if value.isdigit():
            # An id past the largest a database holds matches nothing (never a crash).
            return qs.filter(**{self.field_name: int(value)}) if int(value) <= MAX_ID else qs.none()
        return qs.filter(**{f"{self.name_field}__icontains": value})
