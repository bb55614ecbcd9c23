"""``/api/v1/quotas/``: quotas as the quota page shows them — read by whoever may see
them (``Quota.objects.visible_to``), set by sales ops and admins through the same
service as the page and the import, with the version rules of every writable resource."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import permissions, serializers
from rest_framework.exceptions import PermissionDenied, ValidationError

from keyplan.api.filters import StableOrderingFilter
from keyplan.api.versions import VersionedSerializer, VersionedWrites, versioned_schema
from keyplan.api.views import KeyplanViewSet, field_errors
from keyplan.people.models import Team, User
from keyplan.salesplan.choices import QuotaLevel
from keyplan.salesplan.models import Quota
from keyplan.salesplan.periods import Period
from keyplan.salesplan.permissions import can_edit_quotas, quota_edit_refusal
from keyplan.salesplan.services import quota_delete, quota_save


class QuotasChangedBySettingsManagers(permissions.BasePermission):
    message = "Only sales operations and administrators set quotas."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return can_edit_quotas(request.user)


class QuotaSerializer(VersionedSerializer):
    level = serializers.ChoiceField(
        choices=QuotaLevel.choices, help_text="Whose number: a rep's, a team's or the company's"
    )
    rep = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        allow_null=True,
        required=False,
        help_text="The rep (rep quotas only)",
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(),
        allow_null=True,
        required=False,
        help_text="The team (team quotas only)",
    )
    quarter = serializers.IntegerField(
        min_value=0, max_value=4, default=0, help_text="0: the whole fiscal year; 1-4: a quarter"
    )
    fiscal_year = serializers.IntegerField(min_value=1901, max_value=2999)
    amount = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, help_text="In the installation's currency"
    )
    holder = serializers.CharField(read_only=True, help_text="The rep's or team's name")
    period = serializers.CharField(source="period.label", read_only=True)

    class Meta:
        model = Quota
        fields = [
            "id",
            "level",
            "rep",
            "team",
            "holder",
            "fiscal_year",
            "quarter",
            "period",
            "amount",
            "version",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]
        validators = []  # the service says what is wrong, in words


FIXED = ("level", "rep", "team", "fiscal_year", "quarter")


@versioned_schema(forbidden="Refused: only administrators and sales operations set quotas")
class QuotaViewSet(VersionedWrites, KeyplanViewSet):
    """Quotas per rep, team and the company, per fiscal year or quarter. A rep sees their
    own; a manager their people's and their teams'; executives, sales ops and admins all.
    A quota's holder and period are fixed once set: change its amount, or delete it."""

    service_bumps = True
    serializer_class = QuotaSerializer
    permission_classes = [permissions.IsAuthenticated, QuotasChangedBySettingsManagers]
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_fields = ["level", "rep", "team", "fiscal_year", "quarter"]
    ordering_fields = ["fiscal_year", "quarter", "amount", "level", "updated_at"]

    def get_queryset(self):
        return (
            Quota.objects.visible_to(self.request.user)
            .select_related("rep", "team")
            .order_by("-fiscal_year", "quarter", "level", "pk")
        )

    def _period(self, data):
        try:
            return Period(data["fiscal_year"], data.get("quarter", 0))
        except ValueError as exc:
            raise ValidationError({"quarter": [str(exc)]}) from None

    def perform_create(self, serializer):
        data = serializer.validated_data
        period = self._period(data)
        holder = {"rep": data.get("rep"), "team": data.get("team")}
        existing = Quota.objects.filter(
            level=data["level"], fiscal_year=period.fiscal_year, quarter=period.quarter
        )
        if data["level"] != QuotaLevel.COMPANY:
            key = "rep" if data["level"] == QuotaLevel.REP else "team"
            existing = existing.filter(**{key: holder[key]})
        found = existing.first()
        if found is not None:
            raise ValidationError(
                {
                    "detail": f"{found.holder} already has a quota for {period.name} "
                    f"(id {found.pk}); change it with PATCH and its version."
                }
            )
        serializer.instance = self._save(
            level=data["level"], period=period, amount=data["amount"], **holder
        )

    def perform_update(self, serializer):
        quota = serializer.instance
        data = serializer.validated_data
        moved = [name for name in FIXED if name in data and data[name] != getattr(quota, name)]
        if moved:
            raise ValidationError(
                {
                    name: [
                        "A quota's holder and period are fixed once set; delete it and set another."
                    ]
                    for name in moved
                }
            )
        serializer.instance = self._save(
            level=quota.level,
            period=quota.period,
            amount=data.get("amount", quota.amount),
            rep=quota.rep,
            team=quota.team,
        )

    def _save(self, **kwargs):
        try:
            quota, _ = quota_save(user=self.request.user, **kwargs)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise field_errors(exc) from None
        return quota

    def perform_destroy(self, instance):
        refusal = quota_edit_refusal(self.request.user)
        if refusal:
            raise PermissionDenied(refusal)
        with transaction.atomic():
            quota_delete(quota=instance, user=self.request.user)
