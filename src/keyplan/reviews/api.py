"""``/api/v1/review-sittings/``: quarterly review sittings as the review pages show them,
read by whoever sees them (``ReviewSitting.objects.visible_to``: a rep their own, a
manager their people's, executives, sales ops and admins all). Read-only: a sitting is
scheduled, moved and run on the review pages, through ``reviews.services``."""

import django_filters
from django import forms
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from keyplan.api.filters import StableOrderingFilter
from keyplan.core.filters import IdFilter
from keyplan.reviews.choices import Outcome, SittingStatus
from keyplan.reviews.models import ReviewItem, ReviewSitting


class ReviewItemSerializer(serializers.ModelSerializer):
    account = serializers.CharField(source="plan.account.name", read_only=True)
    outcome = serializers.ChoiceField(
        choices=Outcome.choices, allow_blank=True, read_only=True, help_text="Empty until recorded"
    )
    plan_version = serializers.IntegerField(
        source="plan_version.number",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The number of the plan's version kept when the sitting closed",
    )

    class Meta:
        model = ReviewItem
        fields = ["plan", "account", "order", "outcome", "decisions", "plan_version", "reviewed_at"]
        read_only_fields = fields


class ReviewSittingSerializer(serializers.ModelSerializer):
    rep_name = serializers.CharField(source="rep.__str__", read_only=True)
    manager_name = serializers.CharField(source="manager.__str__", read_only=True)
    period = serializers.CharField(source="period.name", read_only=True)
    ends_at = serializers.DateTimeField(read_only=True)
    state = serializers.SerializerMethodField(
        help_text="The status a person reads: a scheduled sitting whose time passed is missed"
    )
    items = ReviewItemSerializer(many=True, read_only=True)

    class Meta:
        model = ReviewSitting
        fields = [
            "id",
            "rep",
            "rep_name",
            "manager",
            "manager_name",
            "fiscal_year",
            "quarter",
            "period",
            "starts_at",
            "ends_at",
            "minutes",
            "status",
            "state",
            "location",
            "notes",
            "held_at",
            "items",
            "version",
        ]
        read_only_fields = fields

    def get_state(self, obj) -> str:
        return obj.state()


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """A fiscal year typed in a query string: 1901-2999, else a field error (400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1901)
        kwargs.setdefault("max_value", 2999)
        super().__init__(*args, **kwargs)


class ReviewSittingFilterSet(django_filters.FilterSet):
    rep = IdFilter(field_name="rep_id", label="The rep's user id")
    manager = IdFilter(field_name="manager_id", label="The manager's user id")
    fiscal_year = YearFilter(label="Fiscal year")
    quarter = django_filters.TypedChoiceFilter(
        choices=[(q, str(q)) for q in (1, 2, 3, 4)], coerce=int, label="Quarter (1-4)"
    )
    status = django_filters.ChoiceFilter(
        choices=[c for c in SittingStatus.choices if c[0] != SittingStatus.MISSED],
        label="Stored status (a missed sitting is stored as scheduled: read `state`)",
    )

    class Meta:
        model = ReviewSitting
        fields = ["rep", "manager", "fiscal_year", "quarter", "status"]


class ReviewSittingViewSet(viewsets.ReadOnlyModelViewSet):
    """Quarterly review sittings: one rep presenting all their active account plans to
    their manager, with each plan's outcome once held."""

    serializer_class = ReviewSittingSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = ReviewSittingFilterSet
    ordering_fields = ["starts_at", "fiscal_year", "quarter"]

    def get_queryset(self):
        return (
            ReviewSitting.objects.visible_to(self.request.user)
            .select_related("rep", "manager")
            .prefetch_related("items__plan__account", "items__plan_version")
            .order_by("starts_at", "pk")
        )


__all__ = ["ReviewSittingViewSet"]
