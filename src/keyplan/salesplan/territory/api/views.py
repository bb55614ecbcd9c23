"""The territory plan API's views: the plans, and the parts of one plan."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from keyplan.api.filters import StableOrderingFilter
from keyplan.api.versions import (
    IF_MATCH,
    PRECONDITION_REQUIRED,
    VERSION_QUERY,
    ETagOnRead,
    sent_version,
)
from keyplan.api.views import KeyplanViewSet
from keyplan.plans.api.views import CONFLICT, REFUSED, refusals
from keyplan.salesplan.choices import (
    TerritoryPlanStatus,
)
from keyplan.salesplan.models import (
    StrategyResource,
    TerritoryActivity,
    TerritoryGoal,
    TerritoryObjective,
    TerritoryPlan,
    TerritoryPlanChange,
    TerritoryStrategy,
)
from keyplan.salesplan.territory import services
from keyplan.salesplan.territory.api.serializers import (
    ActivitySerializer,
    ChangeSerializer,
    FactsSerializer,
    GoalSerializer,
    ObjectiveSerializer,
    PlanStepSerializer,
    ResourceSerializer,
    StrategySerializer,
    TerritoryPlanDetailSerializer,
    TerritoryPlanSerializer,
    TerritoryPlanVersionSerializer,
    VersionTakeSerializer,
)
from keyplan.salesplan.territory.steps import step_states

# -- the plans -------------------------------------------------------------------------

# A plan-wide step (facts read, activate, archive) names the plan version it was taken
# from: 428 without one, 409 when someone changed the plan since.
PLAN_STEP_RESPONSES = {
    200: TerritoryPlanSerializer,
    403: REFUSED,
    409: CONFLICT,
    428: PRECONDITION_REQUIRED,
}
PLAN_ID = OpenApiParameter("plan_pk", OpenApiTypes.INT, OpenApiParameter.PATH)


def _plan_queryset(user):
    return TerritoryPlan.objects.visible_to(user).select_related("rep")


@extend_schema_view(
    create=extend_schema(responses={201: TerritoryPlanSerializer, 403: REFUSED}),
    retrieve=extend_schema(responses=TerritoryPlanDetailSerializer),
)
class TerritoryPlanViewSet(ETagOnRead, KeyplanViewSet):
    """Territory plans the user may see: a rep their own, a manager their people's,
    executives, sales ops and admins all. Started by the rep, their managers or sales
    ops (one per rep and fiscal year); built through the parts below, in Conti's order;
    read the facts, activate and archive with the actions. Never deleted (archive)."""

    serializer_class = TerritoryPlanSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends = [StableOrderingFilter]
    ordering_fields = ["fiscal_year", "status", "updated_at"]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        qs = _plan_queryset(self.request.user).order_by("-fiscal_year", "rep__last_name", "pk")
        params = self.request.query_params
        for name in ("fiscal_year", "rep"):
            value = params.get(name, "")
            if value.isdigit() and len(value) <= 12:
                qs = qs.filter(**{f"{name}_id" if name == "rep" else name: int(value)})
        if params.get("status") in TerritoryPlanStatus.values:
            qs = qs.filter(status=params["status"])
        if self.action == "retrieve":
            qs = qs.prefetch_related(
                Prefetch(
                    "strategies",
                    queryset=TerritoryStrategy.objects.prefetch_related(
                        "target_accounts",
                        Prefetch(
                            "resources",
                            queryset=StrategyResource.objects.select_related("person"),
                        ),
                    ),
                ),
                Prefetch("activities", queryset=TerritoryActivity.objects.select_related("owner")),
                Prefetch(
                    "objectives", queryset=TerritoryObjective.objects.prefetch_related("strategies")
                ),
                "goals",
            )
        return qs

    def get_serializer_class(self):
        if self.action == "retrieve":
            return TerritoryPlanDetailSerializer
        return TerritoryPlanSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("fiscal_year", OpenApiTypes.INT, description="Only this year"),
            OpenApiParameter("rep", OpenApiTypes.INT, description="Only this rep's (user id)"),
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=TerritoryPlanStatus.values, description="Status"
            ),
        ]
    )
    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        plans = page if page is not None else list(queryset)
        # The step reached, for the whole page in three queries (not three per plan).
        context = self.get_serializer_context() | {"states": step_states(plans)}
        data = TerritoryPlanSerializer(plans, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def perform_create(self, serializer):
        data = serializer.validated_data
        with refusals():
            serializer.instance = services.territory_plan_create(
                user=self.request.user, rep=data["rep"], fiscal_year=data["fiscal_year"]
            )

    def _answer(self, plan):
        plan = self.get_queryset().get(pk=plan.pk)
        return Response(
            TerritoryPlanSerializer(plan, context=self.get_serializer_context()).data,
            headers={"ETag": f'"{plan.version}"'},
        )

    @extend_schema(
        request=FactsSerializer,
        responses=PLAN_STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"], url_path="facts-review")
    def facts_review(self, request, pk=None):
        """The rep has read the facts (with a note): the strategies step opens."""
        plan = self.get_object()
        form = FactsSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with refusals():
            plan = services.facts_review(
                user=request.user,
                plan=plan,
                note=form.validated_data.get("note", ""),
                version=sent_version(request),
                reasons=form.validated_data.get("reasons"),
            )
        return self._answer(plan)

    @extend_schema(
        request=PlanStepSerializer,
        responses=PLAN_STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """Draft → active once every step is done; a version is kept."""
        plan = self.get_object()
        with refusals():
            plan = services.territory_plan_activate(
                user=request.user, plan=plan, version=sent_version(request)
            )
        return self._answer(plan)

    @extend_schema(
        request=PlanStepSerializer,
        responses=PLAN_STEP_RESPONSES,
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive the plan: readable, no longer changed, out of My work and capacity."""
        plan = self.get_object()
        with refusals():
            plan = services.territory_plan_archive(
                user=request.user, plan=plan, version=sent_version(request)
            )
        return self._answer(plan)

    @extend_schema(
        methods=["post"],
        request=VersionTakeSerializer,
        responses={201: TerritoryPlanVersionSerializer, 403: REFUSED},
    )
    @extend_schema(methods=["get"], responses=TerritoryPlanVersionSerializer(many=True))
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def versions(self, request, pk=None):
        """The plan's versions (GET), or keep one now with a note (POST)."""
        plan = self.get_object()
        if request.method == "POST":
            form = VersionTakeSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            with refusals():
                version = services.territory_version_take(
                    user=request.user, plan=plan, note=form.validated_data.get("note", "")
                )
            return Response(_version_data(version), status=201)
        kept = plan.versions.select_related("taken_by").defer("content")
        page = self.paginate_queryset(kept)
        return self.get_paginated_response([_version_data(v) for v in page])

    @extend_schema(responses=ChangeSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def changes(self, request, pk=None):
        """The plan's trail, newest first: who changed what, before and after."""
        plan = self.get_object()
        trail = TerritoryPlanChange.objects.filter(plan=plan).select_related("user")
        page = self.paginate_queryset(trail.order_by("-at", "-pk"))
        return self.get_paginated_response(ChangeSerializer(page, many=True).data)


def _version_data(version) -> dict:
    return {
        "number": version.number,
        "reason": version.reason,
        "note": version.note,
        "taken_at": version.taken_at,
        "taken_by": str(version.taken_by) if version.taken_by else None,
    }


# -- the parts of a plan ---------------------------------------------------------------


def documented(viewset):
    """A part's writes in the schema: 403 for all; 409 and 428 for changes and deletes,
    which must name the version they were made from."""
    serializer = viewset.serializer_class
    refused = {403: REFUSED, 409: CONFLICT, 428: PRECONDITION_REQUIRED}
    every = {"parameters": [PLAN_ID]}
    return extend_schema_view(
        list=extend_schema(**every),
        retrieve=extend_schema(**every),
        create=extend_schema(responses={201: serializer, 403: REFUSED}, **every),
        partial_update=extend_schema(
            parameters=[PLAN_ID, IF_MATCH], responses={200: serializer} | refused
        ),
        destroy=extend_schema(
            parameters=[PLAN_ID, IF_MATCH, VERSION_QUERY], responses={204: None} | refused
        ),
    )(viewset)


class PartViewSet(ETagOnRead, KeyplanViewSet):
    """The parts of one territory plan the user may see (the plan is 404 otherwise).
    Writes through the part's save and delete services."""

    model: type
    plan_path = "plan"  # from the part to its plan
    related: tuple = ()
    prefetch: tuple = ()
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @property
    def plan(self) -> TerritoryPlan:
        if not hasattr(self, "_plan"):
            self._plan = get_object_or_404(
                _plan_queryset(self.request.user), pk=self.kwargs["plan_pk"]
            )
        return self._plan

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema, read without a request
            return self.model.objects.none()
        qs = self.model.objects.filter(**{f"{self.plan_path}_id": self.plan.pk})
        return (
            qs.select_related(*self.related)
            .prefetch_related(*self.prefetch)
            .order_by(*self.model._meta.ordering)
        )

    def data_for_service(self, validated: dict) -> dict:
        return dict(validated)

    def save_part(self, *, data, instance=None, version=None):
        raise NotImplementedError

    def delete_part(self, *, instance, version):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        _ = self.plan  # another rep's plan is 404 before the body is read, as on a change
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        with refusals():
            serializer.instance = self.save_part(
                data=self.data_for_service(serializer.validated_data)
            )

    def partial_update(self, request, *args, **kwargs):
        self.get_object()  # an invisible id is 404 first
        sent_version(request)  # then 428 before any validation when no version is sent
        return super().partial_update(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        return super().update(request, *args, **kwargs)

    def perform_update(self, serializer):
        with refusals():
            serializer.instance = self.save_part(
                data=self.data_for_service(serializer.validated_data),
                instance=serializer.instance,
                version=sent_version(self.request),
            )

    def destroy(self, request, *args, **kwargs):
        self.get_object()
        sent_version(request)
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        with refusals():
            self.delete_part(instance=instance, version=sent_version(self.request))


@documented
class StrategyViewSet(PartViewSet):
    """The plan's strategies (one to five), each with the people giving it time."""

    model = TerritoryStrategy
    serializer_class = StrategySerializer
    prefetch = (
        "target_accounts",
        Prefetch("resources", queryset=StrategyResource.objects.select_related("person")),
    )

    def save_part(self, *, data, instance=None, version=None):
        user = self.request.user
        return services.strategy_save(
            user=user, plan=self.plan, data=data, strategy=instance, version=version
        )

    def delete_part(self, *, instance, version):
        services.strategy_delete(user=self.request.user, strategy=instance, version=version)


@documented
class ResourceViewSet(PartViewSet):
    """Named people's hours per month on the plan's strategies."""

    model = StrategyResource
    plan_path = "strategy__plan"
    serializer_class = ResourceSerializer
    related = ("person", "strategy")

    def save_part(self, *, data, instance=None, version=None):
        strategy = data.pop("strategy", None) or instance.strategy
        if strategy.plan_id != self.plan.pk:
            raise serializers.ValidationError(
                {"strategy": [f"Strategy “{strategy}” is not one of this plan's."]}
            )
        return services.resource_save(
            user=self.request.user,
            strategy=strategy,
            data=data,
            resource=instance,
            version=version,
        )

    def delete_part(self, *, instance, version):
        services.resource_delete(user=self.request.user, resource=instance, version=version)


@documented
class ActivityViewSet(PartViewSet):
    """The plan's activities, dated and owned, with their effort."""

    model = TerritoryActivity
    serializer_class = ActivitySerializer
    related = ("owner",)

    def save_part(self, *, data, instance=None, version=None):
        return services.activity_save(
            user=self.request.user, plan=self.plan, data=data, activity=instance, version=version
        )

    def delete_part(self, *, instance, version):
        services.activity_delete(user=self.request.user, activity=instance, version=version)


@documented
class ObjectiveViewSet(PartViewSet):
    """The plan's objectives: revenue by tier, product line, channel and segment; new
    logos; activity counts. Each serves at least one strategy."""

    model = TerritoryObjective
    serializer_class = ObjectiveSerializer
    prefetch = ("strategies",)

    def save_part(self, *, data, instance=None, version=None):
        return services.objective_save(
            user=self.request.user, plan=self.plan, data=data, objective=instance, version=version
        )

    def delete_part(self, *, instance, version):
        services.objective_delete(user=self.request.user, objective=instance, version=version)


@documented
class GoalViewSet(PartViewSet):
    """The plan's qualitative goals."""

    model = TerritoryGoal
    serializer_class = GoalSerializer

    def save_part(self, *, data, instance=None, version=None):
        return services.goal_save(
            user=self.request.user, plan=self.plan, data=data, goal=instance, version=version
        )

    def delete_part(self, *, instance, version):
        services.goal_delete(user=self.request.user, goal=instance, version=version)
