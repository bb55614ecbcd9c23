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
