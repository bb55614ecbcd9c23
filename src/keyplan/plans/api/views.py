"""Viewsets for plans and their parts: querysets from ``visible_to`` (an invisible id
is 404), every write through plans.services, refusals as 400 / 403 / 409."""

from contextlib import contextmanager

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from keyplan.api.versions import (
    IF_MATCH,
    PRECONDITION_REQUIRED,
    VERSION_QUERY,
    ETagOnRead,
    sent_version,
)
from keyplan.api.views import VisibleViewSet
from keyplan.core.filters import IdFilter
from keyplan.plans import services
from keyplan.plans.api.serializers import (
    IdeaMoveSerializer,
    InvestmentDecideSerializer,
    InvestmentSubmitSerializer,
    PlanChangeSerializer,
    PlanDetailSerializer,
    PlanGoalSerializer,
    PlanIdeaSerializer,
    PlanInvestmentSerializer,
    PlanSerializer,
    PlanUpdateSerializer,
    PlanValueSerializer,
    PlanVendorSerializer,
    update_serializer,
)
from keyplan.plans.choices import InvestmentStatus, PlanStatus
from keyplan.plans.models import (
    AccountPlan,
    CustomerGoal,
    Idea,
    InvestmentCase,
    InvestmentEvent,
    PlanChange,
    ValueStatement,
    Vendor,
)
from keyplan.plans.services.elements import KINDS


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "Someone else changed this after you loaded it."
    default_code = "conflict"


REFUSED = OpenApiResponse(
    description="Refused: you may read but not change this plan, the plan is archived, or "
    "(deciding) you are not a manager or executive, or submitted the case yourself"
)
CONFLICT = OpenApiResponse(
    description="Stale version: someone saved it after the version you sent; nothing was "
    "saved and the detail says who changed what"
)


def refused_or_stale(responses: dict) -> dict:
    return responses | {403: REFUSED, 409: CONFLICT}


def versioned(responses: dict) -> dict:
    """A change or delete: refused, stale, or without a version (428)."""
    return refused_or_stale(responses) | {428: PRECONDITION_REQUIRED}


def documented(viewset):
    """The refusals of a part's writes, in the schema (403 for all; 409 and 428 for
    changes and deletes, which must name the version they were made from)."""
    serializer = viewset.serializer_class
    return extend_schema_view(
        create=extend_schema(responses={201: serializer, 403: REFUSED}),
        partial_update=extend_schema(
            parameters=[IF_MATCH], responses=versioned({200: update_serializer(serializer)})
        ),
        destroy=extend_schema(
            parameters=[IF_MATCH, VERSION_QUERY], responses=versioned({204: None})
        ),
    )(viewset)


@contextmanager
def refusals():
    """A service's refusal as the API's answer: EditConflict 409, PermissionDenied 403,
    ValidationError 400 with the same field messages (``__all__`` as non_field_errors)."""
    try:
        yield
    except services.EditConflict as exc:
        raise Conflict(" ".join(exc.messages)) from None
    except DjangoPermissionDenied as exc:
        raise exceptions.PermissionDenied(str(exc) or None) from None
    except DjangoValidationError as exc:
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if k == "__all__" else k): v
                for k, v in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        raise exceptions.ValidationError(detail) from None


class PlanFilterSet(django_filters.FilterSet):
    account = IdFilter(field_name="account_id", label="Account id")
    owner = IdFilter(field_name="owner_id", label="Owner's user id")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = AccountPlan
        fields = ["account", "owner", "status"]


@extend_schema_view(
    create=extend_schema(responses={201: PlanSerializer, 403: REFUSED}),
    partial_update=extend_schema(
        parameters=[IF_MATCH], responses=versioned({200: PlanUpdateSerializer})
    ),
)
class PlanViewSet(ETagOnRead, VisibleViewSet):
    """Account plans of the accounts the user may see, newest period first. Created,
    changed, activated and archived through plans.services; never deleted (archive)."""

    model = AccountPlan
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    related = ("account", "account__tier", "owner")
    prefetch = ("team", "covered_accounts", "opportunities")
    ordering_fields = ["period_start", "period_end", "revenue_goal", "status", "updated_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PlanDetailSerializer
        if self.action == "partial_update":
            return PlanUpdateSerializer
        return PlanSerializer

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        with refusals():
            serializer.instance = services.plan_create(user=self.request.user, **data)

    def partial_update(self, request, *args, **kwargs):
        self.get_object()  # an invisible id is 404 first
        sent_version(request)  # then 428 before any validation when no version is sent
        return super().partial_update(request, *args, **kwargs)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        version = sent_version(self.request)
        with refusals():
            serializer.instance = services.plan_update(
                plan=serializer.instance, user=self.request.user, version=version, **data
            )

    def _status(self, service):
        plan = self.get_object()
        with refusals():
            plan = service(plan=plan, user=self.request.user)
        return Response(PlanSerializer(plan, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: PlanSerializer, 403: REFUSED})
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Draft → active; the account's active plan for an overlapping period is archived."""
        return self._status(services.plan_activate)

    @extend_schema(request=None, responses={200: PlanSerializer, 403: REFUSED})
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive the plan: it stays readable but nobody changes it any more."""
        return self._status(services.plan_archive)

    @extend_schema(responses=PlanChangeSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def activity(self, request, pk=None):
        """The plan's activity feed, newest first: who changed what, before and after."""
        plan = self.get_object()
        changes = PlanChange.objects.filter(plan=plan).select_related("user").order_by("-at", "-pk")
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(PlanChangeSerializer(page, many=True).data)


# --- Parts of a plan -----------------------------------------------------------------


def _plan_filter(field_name="plan_id"):
    return IdFilter(field_name=field_name, label="Plan id")


class GoalFilterSet(django_filters.FilterSet):
    plan = _plan_filter()

    class Meta:
        model = CustomerGoal
        fields = ["plan", "level"]


class ValueFilterSet(django_filters.FilterSet):
    plan = _plan_filter()

    class Meta:
        model = ValueStatement
        fields = ["plan"]


class VendorFilterSet(django_filters.FilterSet):
    plan = _plan_filter()

    class Meta:
        model = Vendor
        fields = ["plan", "relation"]


class IdeaFilterSet(django_filters.FilterSet):
    plan = _plan_filter()
    goal = IdFilter(field_name="goal_id", label="Customer goal id")

    class Meta:
        model = Idea
        fields = ["plan", "goal", "stage", "delivery"]


class InvestmentFilterSet(django_filters.FilterSet):
    plan = _plan_filter("idea__plan_id")
    idea = IdFilter(field_name="idea_id", label="Idea id")
    status = django_filters.ChoiceFilter(choices=InvestmentStatus.choices)

    class Meta:
        model = InvestmentCase
        fields = ["plan", "idea", "status"]


class ElementViewSet(ETagOnRead, VisibleViewSet):
    """The parts of the plans the user may see. Every write goes through
    element_save / element_delete (permission, stale-copy check, rules, activity)."""

    kind: str
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_serializer_class(self):
        if self.action == "partial_update":
            return update_serializer(self.serializer_class)
        return self.serializer_class

    def plan_of(self, obj):
        return KINDS[self.kind].plan_of(obj)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        parent = KINDS[self.kind].parent  # an investment case's plan is its idea's
        plan = data[parent].plan if parent else data.pop("plan")
        with refusals():
            serializer.instance = services.element_save(
                kind=self.kind, plan=plan, user=self.request.user, **data
            )

    def partial_update(self, request, *args, **kwargs):
        self.get_object()  # an invisible id is 404 first
        sent_version(request)  # then 428 before any validation when no version is sent
        return super().partial_update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        self.get_object()
        sent_version(request)
        return super().destroy(request, *args, **kwargs)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        version = sent_version(self.request)
        instance = serializer.instance
        with refusals():
            serializer.instance = services.element_save(
                kind=self.kind,
                plan=self.plan_of(instance),
                user=self.request.user,
                instance=instance,
                version=version,
                **data,
            )

    def perform_destroy(self, instance):
        with refusals():
            services.element_delete(
                kind=self.kind,
                plan=self.plan_of(instance),
                user=self.request.user,
                instance=instance,
                version=sent_version(self.request),
            )

    def _answer(self, obj):
        obj = self.get_queryset().get(pk=obj.pk)
        return Response(self.serializer_class(obj, context=self.get_serializer_context()).data)


@documented
class PlanGoalViewSet(ElementViewSet):
    """The customer's goals in the plans the user may see."""

    kind = "goal"
    model = CustomerGoal
    serializer_class = PlanGoalSerializer
    filterset_class = GoalFilterSet
    ordering_fields = ["level", "title", "target_value", "created_at"]
    prefetch = ("contacts",)


@documented
class PlanValueViewSet(ElementViewSet):
    """Value statements: the value we deliver to the customer, quantified."""

    kind = "value"
    model = ValueStatement
    serializer_class = PlanValueSerializer
    filterset_class = ValueFilterSet
    ordering_fields = ["metric", "amount"]


@documented
class PlanVendorViewSet(ElementViewSet):
    """Competitors in the account and other vendors who could introduce us."""

    kind = "vendor"
    model = Vendor
    serializer_class = PlanVendorSerializer
    filterset_class = VendorFilterSet
    ordering_fields = ["relation", "name", "estimated_spend", "estimated_share"]
    prefetch = ("product_lines",)


@documented
class PlanIdeaViewSet(ElementViewSet):
    """The idea pipeline of the plans the user may see, largest value first."""

    kind = "idea"
    model = Idea
    serializer_class = PlanIdeaSerializer
    filterset_class = IdeaFilterSet
    ordering_fields = ["annual_value", "expected_date", "confidence", "created_at"]

    @extend_schema(
        request=IdeaMoveSerializer, responses=refused_or_stale({200: PlanIdeaSerializer})
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the idea to another stage. To opportunity: links the given open
        opportunity or creates one; an idea needing an investment waits for approval."""
        idea = self.get_object()
        form = IdeaMoveSerializer(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        with refusals():
            idea = services.idea_move(idea=idea, user=request.user, **form.validated_data)
        return self._answer(idea)


@documented
class PlanInvestmentViewSet(ElementViewSet):
    """Investment cases for the ideas of the plans the user may see."""

    kind = "investment"
    model = InvestmentCase
    serializer_class = PlanInvestmentSerializer
    filterset_class = InvestmentFilterSet
    ordering_fields = ["cost", "expected_return", "status", "submitted_at", "decided_at"]
    related = ("idea", "submitted_by", "decided_by")
    prefetch = (Prefetch("events", queryset=InvestmentEvent.objects.select_related("user")),)

    @extend_schema(
        request=InvestmentSubmitSerializer,
        responses=refused_or_stale({200: PlanInvestmentSerializer}),
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the case for a decision; the plan owner's manager is notified."""
        case = self.get_object()
        form = InvestmentSubmitSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with refusals():
            case = services.investment_submit(case=case, user=request.user, **form.validated_data)
        return self._answer(case)

    @extend_schema(
        request=InvestmentDecideSerializer,
        responses=refused_or_stale({200: PlanInvestmentSerializer}),
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Approve or decline a submitted case (managers and executives; never one's own)."""
        case = self.get_object()
        form = InvestmentDecideSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with refusals():
            case = services.investment_decide(case=case, user=request.user, **form.validated_data)
        return self._answer(case)


__all__ = [
    "PlanGoalViewSet",
    "PlanIdeaViewSet",
    "PlanInvestmentViewSet",
    "PlanValueViewSet",
    "PlanVendorViewSet",
    "PlanViewSet",
]
