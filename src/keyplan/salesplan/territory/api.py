"""``/api/v1/territory-plans/``: each rep's territory plan with its step states,
strategies (with the people giving them time), activities, objectives and goals, and
``…/{id}/strategies/``, ``resources/``, ``activities/``, ``objectives/``, ``goals/`` to
change them. Reads start from ``TerritoryPlan.objects.visible_to`` (a plan the user may
not see is 404); every write goes through ``salesplan.territory.services``, so the step
order, the rules, the stale-save refusal and the trail are the pages' own. Refusals: a
field rule 400 on that field, a read-only user 403 with the reason, no version on a
change or delete 428, a stale version 409 saying who changed what."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import include, path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import permissions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from keyplan.api.filters import StableOrderingFilter
from keyplan.api.versions import (
    IF_MATCH,
    PRECONDITION_REQUIRED,
    VERSION_QUERY,
    ETagOnRead,
    VersionedSerializer,
    VersionField,
    sent_version,
)
from keyplan.api.views import KeyplanViewSet
from keyplan.catalog.models import ProductLine
from keyplan.people.models import User
from keyplan.plans.api.views import CONFLICT, REFUSED, refusals
from keyplan.salesplan.choices import (
    ActivityCadence,
    Leverage,
    ObjectiveKind,
    TerritoryPlanStatus,
    TerritoryStep,
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
from keyplan.salesplan.territory import services, versions
from keyplan.salesplan.territory.steps import reached_words, step_states

# -- serializers -----------------------------------------------------------------------


class TerritoryStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=TerritoryStep.choices)
    label = serializers.CharField()
    open = serializers.BooleanField()
    done = serializers.BooleanField()
    why_locked = serializers.CharField(help_text="Why the step is not open yet (empty when open)")
    missing = serializers.CharField(help_text="What the step still needs (empty when done)")


class ResourceSerializer(VersionedSerializer):
    strategy = serializers.PrimaryKeyRelatedField(
        queryset=TerritoryStrategy.objects.all(), help_text="A strategy of this plan"
    )
    person = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text="Who gives the strategy time"
    )
    person_name = serializers.CharField(source="person", read_only=True)
    hours_per_month = serializers.DecimalField(
        max_digits=6, decimal_places=1, help_text="More than 0, at most 200"
    )

    class Meta:
        model = StrategyResource
        fields = ["id", "strategy", "person", "person_name", "hours_per_month", "role", "version"]
        validators = []  # the service says what is wrong, in words


class StrategySerializer(VersionedSerializer):
    leverages = serializers.ListField(
        child=serializers.ChoiceField(choices=Leverage.choices), required=False
    )
    target_tiers = serializers.ListField(
        child=serializers.ChoiceField(choices=["A", "B", "C"]), required=False
    )
    target_accounts = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    target_account_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        write_only=True,
        help_text="The rep's accounts it aims at (replaces the list)",
    )
    first_month = serializers.DateField(help_text="Any day of the first month it runs")
    last_month = serializers.DateField(help_text="Any day of the last month it runs")
    resources = ResourceSerializer(many=True, read_only=True)

    class Meta:
        model = TerritoryStrategy
        fields = [
            "id",
            "title",
            "description",
            "leverages",
            "target_tiers",
            "target_accounts",
            "target_account_ids",
            "first_month",
            "last_month",
            "resources",
            "version",
        ]
        validators = []


class ActivitySerializer(VersionedSerializer):
    strategy = serializers.PrimaryKeyRelatedField(queryset=TerritoryStrategy.objects.all())
    owner = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    owner_name = serializers.CharField(source="owner", read_only=True)
    effort_hours = serializers.DecimalField(
        max_digits=6, decimal_places=1, help_text="More than 0, at most 200"
    )

    class Meta:
        model = TerritoryActivity
        fields = [
            "id",
            "strategy",
            "title",
            "owner",
            "owner_name",
            "due_date",
            "effort_hours",
            "status",
            "completed_at",
            "version",
        ]
        read_only_fields = ["completed_at"]
        validators = []


class ObjectiveSerializer(VersionedSerializer):
    kind = serializers.ChoiceField(choices=ObjectiveKind.choices)
    dimension = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The tier (A/B/C), channel (own/partners) or segment (base/prospects)",
    )
    product_line = serializers.PrimaryKeyRelatedField(
        queryset=ProductLine.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(required=False, allow_blank=True)
    target = serializers.DecimalField(max_digits=16, decimal_places=2)
    cadence = serializers.ChoiceField(choices=ActivityCadence.choices, required=False)
    strategies = serializers.PrimaryKeyRelatedField(
        many=True, queryset=TerritoryStrategy.objects.all(), help_text="Strategies of this plan"
    )

    class Meta:
        model = TerritoryObjective
        fields = [
            "id",
            "kind",
            "dimension",
            "product_line",
            "title",
            "target",
            "cadence",
            "strategies",
            "version",
        ]
        validators = []


class GoalSerializer(VersionedSerializer):
    class Meta:
        model = TerritoryGoal
        fields = ["id", "text", "version"]
        validators = []


class TerritoryPlanSerializer(serializers.ModelSerializer):
    rep = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), help_text="Whose territory plan"
    )
    rep_name = serializers.CharField(source="rep", read_only=True)
    fiscal_year = serializers.IntegerField(min_value=1901, max_value=2999)
    period = serializers.CharField(source="period.label", read_only=True)
    # Plain text in the schema: an enum here would share the account plans' draft /
    # active / archived set under a second name (drf-spectacular warns on the collision).
    status = serializers.CharField(read_only=True, help_text="draft, active or archived")
    step = serializers.SerializerMethodField(help_text="The step reached, in words")
    version = VersionField(read_only=True)

    class Meta:
        model = TerritoryPlan
        fields = [
            "id",
            "rep",
            "rep_name",
            "fiscal_year",
            "period",
            "status",
            "step",
            "facts_reviewed_at",
            "version",
            "updated_at",
        ]
        read_only_fields = ["status", "facts_reviewed_at", "updated_at"]
        validators = []

    def _states(self, plan):
        states = self.context.get("states", {})
        if plan.pk not in states:
            states |= step_states([plan])
            self.context["states"] = states
        return states[plan.pk]

    def get_step(self, plan) -> str:
        return reached_words(self._states(plan))


class TerritoryPlanDetailSerializer(TerritoryPlanSerializer):
    steps = serializers.SerializerMethodField()
    strategies = StrategySerializer(many=True, read_only=True)
    activities = ActivitySerializer(many=True, read_only=True)
    objectives = ObjectiveSerializer(many=True, read_only=True)
    goals = GoalSerializer(many=True, read_only=True)

    class Meta(TerritoryPlanSerializer.Meta):
        fields = TerritoryPlanSerializer.Meta.fields + [
            "facts_note",
            "steps",
            "strategies",
            "activities",
            "objectives",
            "goals",
        ]
        read_only_fields = TerritoryPlanSerializer.Meta.read_only_fields + ["facts_note"]

    @extend_schema_field(TerritoryStepSerializer(many=True))
    def get_steps(self, plan) -> list[dict]:
        return [
            {
                "step": s.number,
                "label": s.label,
                "open": s.open,
                "done": s.done,
                "why_locked": s.why_locked,
                "missing": s.missing,
            }
            for s in self._states(plan)
        ]


class FactsSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = VersionField()


class PlanStepSerializer(serializers.Serializer):
    version = VersionField()


class VersionTakeSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=255)


class TerritoryPlanVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    reason = serializers.CharField()
    note = serializers.CharField()
    taken_at = serializers.DateTimeField()
    taken_by = serializers.CharField(allow_null=True)


class ChangeSerializer(serializers.ModelSerializer):
    user = serializers.CharField(allow_null=True, help_text="Who, by name")
    what = serializers.SerializerMethodField(help_text="What was done, in words")
    rows = serializers.SerializerMethodField(help_text="Each field changed: before → after")

    class Meta:
        model = TerritoryPlanChange
        fields = ["id", "at", "user", "action", "subject", "object_id", "label", "what", "rows"]

    def get_what(self, change) -> str:
        return versions.change_words(change)

    def get_rows(self, change) -> list[dict]:
        return [
            {"field": r.label, "before": r.before, "after": r.after}
            for r in versions.change_rows(change)
        ]


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


router = SimpleRouter()
router.register("territory-plans", TerritoryPlanViewSet, basename="territory-plan")
parts = SimpleRouter()
parts.register("strategies", StrategyViewSet, basename="territory-strategy")
parts.register("resources", ResourceViewSet, basename="territory-resource")
parts.register("activities", ActivityViewSet, basename="territory-activity")
parts.register("objectives", ObjectiveViewSet, basename="territory-objective")
parts.register("goals", GoalViewSet, basename="territory-goal")

# Included by keyplan.api.urls under /api/v1/.
urlpatterns = [
    path("", include(router.urls)),
    path("territory-plans/<int:plan_pk>/", include(parts.urls)),
]

__all__ = ["urlpatterns"]
