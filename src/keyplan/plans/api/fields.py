"""Fields of the plans API whose schema needs a hand: choice sets described once, as
named enum components (``PlanStatusEnum``, ...), however many serializers use them."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_choice_field
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from keyplan.api.fields import VisiblePrimaryKeyRelatedField


class EnumField(serializers.ChoiceField):
    """A choice among a TextChoices' values, described in the schema as the named
    component ``enum_name``."""

    def __init__(self, choices_class, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(choices=choices_class.choices, **kwargs)


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField

    def get_name(self):
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction):
        schema = build_choice_field(self.target)
        schema.pop("x-spec-enum-id", None)
        return schema


@extend_schema_field(OpenApiTypes.INT)
class VisibleIdField(VisiblePrimaryKeyRelatedField):
    """A visible record's id in a serializer that has no model to derive its type from."""
