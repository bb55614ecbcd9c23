"""API viewsets: every queryset starts from ``visible_to``; writes go through the domain
services (accounts.services, sales.services) exactly as the pages do."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, ProtectedError
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, viewsets
from rest_framework import serializers as drf
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from keyplan.accounts.deletion import (
    account_delete,
    account_delete_refusal,
    account_deletion_preview,
    contact_delete,
    contact_delete_refusal,
    contact_delete_warnings,
)
from keyplan.accounts.filtersets import AccountFilterSet, ContactFilterSet, InteractionFilterSet
from keyplan.accounts.models import Account, AccountTeamMember, Contact, Interaction
from keyplan.accounts.services import account_create, account_update
from keyplan.api import serializers as s
from keyplan.api.filters import StableOrderingFilter
from keyplan.api.permissions import (
    CatalogueChangedBySettingsManagers,
    SaleLinesChangedBySettingsManagers,
    may_delete_accounts,
    may_reassign_accounts,
)
from keyplan.api.versions import VersionedWrites, versioned_schema
from keyplan.audit.bin import deletion_preview
from keyplan.catalog.filtersets import ProductFilterSet
from keyplan.catalog.models import Product, ProductLine
from keyplan.people.models import User
from keyplan.sales.filtersets import OpportunityFilterSet, SaleLineFilterSet
from keyplan.sales.models import Opportunity, OpportunityProduct, OpportunityStageChange, SaleLine
from keyplan.sales.services import (
    opportunity_delete,
    opportunity_save,
    sale_line_delete,
    sale_line_save,
)

deletion_schema = extend_schema(
    summary="What a delete would take with it",
    responses={
        200: OpenApiResponse(
            inline_serializer(
                "DeletionPreview",
                {
                    "goes_with_it": drf.ListField(child=drf.CharField()),
                    "warnings": drf.ListField(child=drf.CharField()),
                    "refusal": drf.CharField(allow_null=True),
                },
            ),
            description="Counts of the records that go with it, warnings, and why you may "
            "not delete it (null when you may). Deleted records go to the recycle bin.",
        ),
        404: OpenApiResponse(description="No such record, or not visible to you"),
    },
)


def field_errors(exc: DjangoValidationError) -> ValidationError:
    """A service's Django ValidationError as DRF's: a 400 with the same field messages."""
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
    return ValidationError(detail)


class KeyplanViewSet(viewsets.ModelViewSet):
    """Shared behaviour: filtering by the app's FilterSet, ordering by the listed fields,
    and a delete that something else still depends on answers 400, not 500."""

    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    protected_message = "{obj} still has records that depend on it; delete or move them first."

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError:
            raise ValidationError({"detail": self.protected_message.format(obj=instance)}) from None

    def soft_destroy(self, service, **kwargs):
        """Delete through a service that keeps a copy in the recycle bin."""
        instance = next(iter(kwargs.values()))
        try:
            service(**kwargs)
        except ProtectedError:
            raise ValidationError({"detail": self.protected_message.format(obj=instance)}) from None
        except DjangoValidationError as exc:
            raise field_errors(exc) from None


class VisibleViewSet(KeyplanViewSet):
    """Records that are, or belong to, an account: every query starts from
    ``Model.objects.visible_to(user)``, so an invisible id is 404 for reads and writes
    alike, and filters can only narrow what the user sees."""

    model: type
    related: tuple[str, ...] = ()
    prefetch: tuple[str | Prefetch, ...] = ()

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        if self.related:
            qs = qs.select_related(*self.related)
        if self.prefetch:
            qs = qs.prefetch_related(*self.prefetch)
        return qs.order_by(*self.model._meta.ordering)


@versioned_schema(
    forbidden="Refused: only managers and above give an account another owner; only "
    "administrators and sales operations delete accounts"
)
class AccountViewSet(VersionedWrites, VisibleViewSet):
    """Accounts the user may see: those they (or their people) own or are on the team of,
    and every account under those. Created and changed through accounts.services. An
    account created without an owner belongs to its creator; only managers and above
    give an account to someone else; only sales ops and admins delete one, and never
    one with accounts under it."""

    service_bumps = True
    model = Account
    serializer_class = s.AccountSerializer
    filterset_class = AccountFilterSet
    related = ("owner", "parent")
    prefetch = (
        Prefetch("team_members", queryset=AccountTeamMember.objects.select_related("user")),
    )
    ordering_fields = [
        "name",
        "external_id",
        "kind",
        "depth",
        "industry",
        "country",
        "region",
        "employees",
        "annual_revenue",
        "created_at",
        "updated_at",
    ]

    def _check_owner(self, owner, current):
        if owner != current and not may_reassign_accounts(self.request.user):
            raise PermissionDenied("Only managers and above give an account another owner.")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if data.get("owner") is None:
            data["owner"] = self.request.user
        self._check_owner(data["owner"], current=self.request.user)
        try:
            serializer.instance = account_create(**data)
        except DjangoValidationError as exc:
            raise field_errors(exc) from None

    def perform_update(self, serializer):
        data = serializer.validated_data
        if "owner" in data:
            self._check_owner(data["owner"], current=serializer.instance.owner)
        try:
            serializer.instance = account_update(account=serializer.instance, **data)
        except DjangoValidationError as exc:
            raise field_errors(exc) from None

    def perform_destroy(self, instance):
        if not may_delete_accounts(self.request.user):
            raise PermissionDenied("Only administrators and sales operations delete accounts.")
        refusal = account_delete_refusal(account=instance, user=self.request.user)
        if refusal:
            raise ValidationError({"detail": refusal})
        self.soft_destroy(account_delete, account=instance, user=self.request.user)

    @deletion_schema
    @action(detail=True, methods=["get"])
    def deletion(self, request, pk=None):
        """What deleting this account would take with it, and whether you may."""
        account = self.get_object()
        return Response(
            {
                "goes_with_it": account_deletion_preview(account),
                "warnings": [],
                "refusal": account_delete_refusal(account=account, user=request.user),
            }
        )


@versioned_schema
class ContactViewSet(VersionedWrites, VisibleViewSet):
    """People at the accounts the user may see."""

    model = Contact
    serializer_class = s.ContactSerializer
    filterset_class = ContactFilterSet
    related = ("account", "reports_to", "relationship_owner")
    ordering_fields = [
        "last_name",
        "first_name",
        "title",
        "seniority",
        "relationship_strength",
        "created_at",
        "updated_at",
    ]

    def perform_destroy(self, instance):
        self.soft_destroy(contact_delete, contact=instance, user=self.request.user)

    @deletion_schema
    @action(detail=True, methods=["get"])
    def deletion(self, request, pk=None):
        """What deleting this contact would take with it (executive pairings included)."""
        contact = self.get_object()
        return Response(
            {
                "goes_with_it": deletion_preview(contact),
                "warnings": contact_delete_warnings(contact),
                "refusal": contact_delete_refusal(contact),
            }
        )


@versioned_schema
class InteractionViewSet(VersionedWrites, VisibleViewSet):
    """Touchpoints with the accounts the user may see, newest first."""

    model = Interaction
    serializer_class = s.InteractionSerializer
    filterset_class = InteractionFilterSet
    related = ("account",)
    prefetch = ("contacts", "participants")
    ordering_fields = ["date", "kind", "created_at"]


@versioned_schema(forbidden="Refused: only administrators and sales operations write sale lines")
class SaleLineViewSet(VersionedWrites, VisibleViewSet):
    """What the accounts the user may see have bought, newest first. Sale lines are the
    facts every analysis trusts: only imports and sales ops and admins write them. Every
    write keeps the sales roll-up right in the same transaction (sales.services)."""

    service_bumps = True
    model = SaleLine
    serializer_class = s.SaleLineSerializer
    filterset_class = SaleLineFilterSet
    permission_classes = [permissions.IsAuthenticated, SaleLinesChangedBySettingsManagers]
    related = ("account", "product__product_line")
    ordering_fields = ["date", "amount", "quantity"]

    def perform_create(self, serializer):
        serializer.instance = self._save(SaleLine(**serializer.validated_data))

    def perform_update(self, serializer):
        line = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(line, name, value)
        serializer.instance = self._save(line)

    def _save(self, line):
        try:
            return sale_line_save(sale_line=line)
        except DjangoValidationError as exc:
            raise field_errors(exc) from None

    def perform_destroy(self, instance):
        sale_line_delete(sale_line=instance)


@versioned_schema
class OpportunityViewSet(VersionedWrites, VisibleViewSet):
    """Deals of the accounts the user may see, by close date. Saved through
    sales.services (won deals count as sales in the roll-up)."""

    service_bumps = True
    model = Opportunity
    serializer_class = s.OpportunitySerializer
    filterset_class = OpportunityFilterSet
    related = ("account", "owner", "product")
    prefetch = (
        Prefetch("line_items", queryset=OpportunityProduct.objects.select_related("product")),
        Prefetch(
            "stage_changes",
            queryset=OpportunityStageChange.objects.select_related("changed_by").order_by(
                "changed_at", "pk"
            ),
        ),
    )
    ordering_fields = [
        "close_date",
        "created_date",
        "amount",
        "probability",
        "name",
        "stage",
        "status",
        "updated_at",
    ]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.setdefault("owner", self.request.user)
        serializer.instance = self._save(Opportunity(**data))

    def perform_update(self, serializer):
        opp = serializer.instance
        for name, value in serializer.validated_data.items():
            setattr(opp, name, value)
        serializer.instance = self._save(opp)

    def _save(self, opp):
        try:
            return opportunity_save(opportunity=opp, user=self.request.user, source="API")
        except DjangoValidationError as exc:
            raise field_errors(exc) from None

    def perform_destroy(self, instance):
        self.soft_destroy(opportunity_delete, opportunity=instance, user=self.request.user)


@versioned_schema(
    forbidden="Refused: only administrators and sales operations change the catalogue"
)
class ProductLineViewSet(VersionedWrites, KeyplanViewSet):
    """Product lines: read by everyone, changed by sales ops and admins."""

    serializer_class = s.ProductLineSerializer
    permission_classes = [permissions.IsAuthenticated, CatalogueChangedBySettingsManagers]
    filterset_fields = ["is_core"]
    ordering_fields = ["name", "is_core"]
    protected_message = "Product line {obj} still has products; move or delete them first."

    def get_queryset(self):
        # The catalogue is not account data: every signed-in user sees all of it.
        return ProductLine.objects.order_by("name", "pk")


@versioned_schema(
    forbidden="Refused: only administrators and sales operations change the catalogue"
)
class ProductViewSet(VersionedWrites, KeyplanViewSet):
    """Products: read by everyone, changed by sales ops and admins."""

    serializer_class = s.ProductSerializer
    filterset_class = ProductFilterSet
    permission_classes = [permissions.IsAuthenticated, CatalogueChangedBySettingsManagers]
    ordering_fields = ["name", "external_id", "list_price", "product_line__name"]
    protected_message = "{obj} has sales or opportunities; mark it inactive instead."

    def get_queryset(self):
        return Product.objects.select_related("product_line").order_by(
            "product_line__name", "name", "pk"
        )


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """The people of the sales organisation, to resolve owner and participant ids. Users
    are changed on the People page by sales ops and admins."""

    serializer_class = s.UserSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_fields = ["role", "team", "is_active"]
    ordering_fields = ["username", "last_name", "role"]

    def get_queryset(self):
        return User.objects.select_related("team").order_by("username", "pk")


__all__ = [
    "AccountViewSet",
    "ContactViewSet",
    "InteractionViewSet",
    "OpportunityViewSet",
    "ProductLineViewSet",
    "ProductViewSet",
    "SaleLineViewSet",
    "UserViewSet",
]
