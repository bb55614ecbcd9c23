"""API viewsets: querysets from ``visible_to``, writes through the domain services."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from rest_framework import permissions, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError

from keyplan.accounts.filtersets import AccountFilterSet, ContactFilterSet, InteractionFilterSet
from keyplan.accounts.models import Account, Contact, Interaction
from keyplan.accounts.services import account_create, account_update
from keyplan.api import serializers as s
from keyplan.catalog.filtersets import ProductFilterSet
from keyplan.catalog.models import Product, ProductLine
from keyplan.people.models import User
from keyplan.sales.filtersets import OpportunityFilterSet, SaleLineFilterSet
from keyplan.sales.models import Opportunity, SaleLine
from keyplan.sales.services import (
    opportunity_delete,
    opportunity_save,
    sale_line_delete,
    sale_line_save,
)


class ReadOnlyUnlessSettingsManager(permissions.BasePermission):
    """Everyone reads the catalogue; only sales ops and admins change it."""

    message = "Only administrators and sales operations change the product catalogue."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.manages_settings


class VisibleModelViewSet(viewsets.ModelViewSet):
    """A model whose rows belong to accounts: every query starts from ``visible_to``."""

    model = None
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        if self.related:
            qs = qs.select_related(*self.related)
        if self.prefetch:
            qs = qs.prefetch_related(*self.prefetch)
        return qs.order_by(*self.model._meta.ordering)

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError:
            raise ValidationError(
                {
                    "detail": f"{instance} still has records that depend on it; delete or move "
                    "them first."
                }
            ) from None


def _django_errors(exc: DjangoValidationError):
    detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
    return ValidationError(detail)


class AccountViewSet(VisibleModelViewSet):
    """Accounts the user may see. Creating an account without an owner makes the user its
    owner; only managers and above hand accounts to someone else."""

    model = Account
    serializer_class = s.AccountSerializer
    filterset_class = AccountFilterSet
    related = ("owner", "parent")
    prefetch = ("team_members__user",)
    ordering_fields = [
        "name",
        "external_id",
        "industry",
        "country",
        "employees",
        "annual_revenue",
        "updated_at",
    ]

    def _check_owner(self, data, current=None):
        user = self.request.user
        if (
            "owner" in data
            and data["owner"] != current
            and not (user.sees_everything or user.role == "manager")
        ):
            raise PermissionDenied("Only managers and above give an account another owner.")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        if data.get("owner") is None:
            data["owner"] = self.request.user
        self._check_owner(data, current=self.request.user)
        try:
            serializer.instance = account_create(**data)
        except DjangoValidationError as exc:
            raise _django_errors(exc) from None

    def perform_update(self, serializer):
        self._check_owner(serializer.validated_data, current=serializer.instance.owner)
        try:
            serializer.instance = account_update(
                account=serializer.instance, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise _django_errors(exc) from None

    def perform_destroy(self, instance):
        if not self.request.user.manages_settings:
            raise PermissionDenied("Only administrators and sales operations delete accounts.")
        if instance.children.exists():
            raise ValidationError(
                {"detail": f"{instance} has accounts under it; move or delete them first."}
            )
        super().perform_destroy(instance)


class ContactViewSet(VisibleModelViewSet):
    model = Contact
    serializer_class = s.ContactSerializer
    filterset_class = ContactFilterSet
    related = ("account", "reports_to", "relationship_owner")
    ordering_fields = ["last_name", "first_name", "title", "seniority", "updated_at"]


class InteractionViewSet(VisibleModelViewSet):
    model = Interaction
    serializer_class = s.InteractionSerializer
    filterset_class = InteractionFilterSet
    related = ("account",)
    prefetch = ("contacts", "participants")
    ordering_fields = ["date", "kind"]


class SaleLineViewSet(VisibleModelViewSet):
    """Sale lines; every write keeps the sales roll-up right in the same transaction."""

    model = SaleLine
    serializer_class = s.SaleLineSerializer
    filterset_class = SaleLineFilterSet
    ordering_fields = ["date", "amount"]

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
            raise _django_errors(exc) from None

    def perform_destroy(self, instance):
        sale_line_delete(sale_line=instance)


class OpportunityViewSet(VisibleModelViewSet):
    model = Opportunity
    serializer_class = s.OpportunitySerializer
    filterset_class = OpportunityFilterSet
    related = ("account", "owner")
    ordering_fields = ["close_date", "amount", "probability", "name", "updated_at"]

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
            return opportunity_save(opportunity=opp)
        except DjangoValidationError as exc:
            raise _django_errors(exc) from None

    def perform_destroy(self, instance):
        opportunity_delete(opportunity=instance)


class ProductLineViewSet(viewsets.ModelViewSet):
    queryset = ProductLine.objects.order_by("name")
    serializer_class = s.ProductLineSerializer
    permission_classes = [permissions.IsAuthenticated, ReadOnlyUnlessSettingsManager]
    ordering_fields = ["name"]

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError:
            raise ValidationError(
                {"detail": f"Product line {instance} still has products."}
            ) from None


class ProductViewSet(viewsets.ModelViewSet):
    queryset = Product.objects.select_related("product_line").order_by("product_line__name", "name")
    serializer_class = s.ProductSerializer
    filterset_class = ProductFilterSet
    permission_classes = [permissions.IsAuthenticated, ReadOnlyUnlessSettingsManager]
    ordering_fields = ["name", "list_price"]

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except ProtectedError:
            raise ValidationError(
                {"detail": f"{instance} has sales or opportunities; mark it inactive instead."}
            ) from None


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    """The people of the sales organisation (to resolve owners); changed on the People
    page by sales ops and admins."""

    queryset = User.objects.select_related("team").order_by("username")
    serializer_class = s.UserSerializer
    filterset_fields = ["role", "team", "is_active"]
    ordering_fields = ["username", "last_name"]
