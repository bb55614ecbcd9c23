"""API for the second half of a plan: objectives (with their progress), qualitative
goals, strategies, actions, milestones, requests for help, executive pairings; the
plan's confirm, versions, health and capacity; each user's work across plans and the
team's capacity. Same rules as the first half: reads start from ``visible_to``, writes
go through plans.services, refusals are 400 / 403 / 409, an invisible id is 404."""

import datetime
from collections import defaultdict

import django_filters
from django.db.models import Max, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from keyplan.accounts.models import Contact
from keyplan.api.fields import VisiblePrimaryKeyRelatedField
from keyplan.api.params import id_or_404
from keyplan.core.filters import IdFilter
from keyplan.people.models import Team, User
from keyplan.people.scope import scope_for
from keyplan.plans import health as plan_health_module
from keyplan.plans import services, versions
from keyplan.plans.api import views as base
from keyplan.plans.api.fields import EnumField
from keyplan.plans.api.serializers import (
    VERSION_HELP,
    ElementSerializer,
    PlanInvestmentSerializer,
    PlanSerializer,
    _active_users,
    _name,
)
from keyplan.plans.capacity import add_months, capacity, month_start
from keyplan.plans.capacity import plan_capacity as capacity_of_plan
from keyplan.plans.choices import (
    OPEN_ACTION_STATUSES,
    ActionStatus,
    HelpStatus,
    InvestmentStatus,
    ObjectiveCategory,
    ProgressSource,
    VersionReason,
)
from keyplan.plans.models import (
    AccountPlan,
    Action,
    ExecutivePairing,
    HelpRequest,
    InvestmentCase,
    InvestmentEvent,
    Milestone,
    Objective,
    PlanVersion,
    QualitativeGoal,
    Strategy,
)
from keyplan.plans.permissions import decide_refusal
from keyplan.plans.services.elements import KINDS
from keyplan.salesplan.territory.selectors import territory_work

MY_WORK_ROWS = 100  # as views/living.py
CAPACITY_MONTHS = 6
CAPACITY_PEOPLE = 60

CONFIRM_HELP = (
    "Save a date outside the plan period anyway (otherwise such a date is refused with 400)"
)


def _confirm_field():
    return serializers.BooleanField(
        write_only=True, required=False, default=False, help_text=CONFIRM_HELP
    )


# --- Objectives ----------------------------------------------------------------------


class ProgressSerializer(serializers.Serializer):
    current = serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True)
    percent = serializers.IntegerField(
        allow_null=True, help_text="0-100 of the way from baseline to target"
    )
    on_track = serializers.BooleanField(help_text="At or near where a straight line would be")
    source = serializers.CharField(source="source_label", help_text="Where the value comes from")


class ObjectiveListSerializer(serializers.ListSerializer):
    """Computes the progress of all objectives shown, one plan at a time (keyplan's facts
    are read once per plan, not once per objective)."""

    def to_representation(self, data):
        objectives = list(data.all() if hasattr(data, "all") else data)
        _attach_progress(objectives)
        return super().to_representation(objectives)


def _attach_progress(objectives):
    by_plan = defaultdict(list)
    for o in objectives:
        if not hasattr(o, "api_progress"):
            by_plan[o.plan_id].append(o)
    for items in by_plan.values():
        for o, p in zip(
            items, plan_health_module.objective_progress(items[0].plan, items), strict=True
        ):
            o.api_progress = p


class PlanObjectiveSerializer(ElementSerializer):
    category = EnumField(ObjectiveCategory, enum_name="ObjectiveCategoryEnum")
    progress_source = EnumField(ProgressSource, enum_name="ProgressSourceEnum", required=False)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(), help_text="User id; must be able to see the plan's account"
    )
    owner_name = serializers.SerializerMethodField()
    confirm_outside_period = _confirm_field()
    progress = ProgressSerializer(source="api_progress", read_only=True)

    class Meta:
        model = Objective
        fields = ["id", "plan", *KINDS["objective"].fields, "owner_name"]
        fields += ["manual_updated_by", "manual_updated_at", "progress"]
        fields += ["confirm_outside_period", "version"]
        read_only_fields = ["manual_updated_by", "manual_updated_at"]
        list_serializer_class = ObjectiveListSerializer

    def get_owner_name(self, obj) -> str | None:
        return _name(obj.owner) if obj.owner_id else None

    def to_representation(self, obj):
        if not hasattr(obj, "api_progress"):
            _attach_progress([obj])
        return super().to_representation(obj)


class PlanQualitativeGoalSerializer(ElementSerializer):
    class Meta:
        model = QualitativeGoal
        fields = ["id", "plan", *KINDS["qualitative"].fields, "version"]


class PlanStrategySerializer(ElementSerializer):
    """A strategy of one objective (its plan is the objective's); at most five each."""

    plan = serializers.IntegerField(source="objective.plan_id", read_only=True)
    objective = VisiblePrimaryKeyRelatedField(model=Objective, help_text="An objective's id")

    class Meta:
        model = Strategy
        fields = ["id", "plan", *KINDS["strategy"].fields, "version"]


class PlanActionSerializer(ElementSerializer):
    owner = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(), help_text="User id; must be able to see the plan's account"
    )
    owner_name = serializers.SerializerMethodField()
    status = EnumField(ActionStatus, enum_name="ActionStatusEnum", required=False)
    strategy = VisiblePrimaryKeyRelatedField(
        model=Strategy, required=False, allow_null=True, help_text="A strategy of the same plan"
    )
    contacts = VisiblePrimaryKeyRelatedField(
        model=Contact, many=True, required=False, help_text="The customer's people involved"
    )
    confirm_outside_period = _confirm_field()

    class Meta:
        model = Action
        fields = ["id", "plan", *KINDS["action"].fields, "owner_name", "contacts"]
        fields += ["carried_from", "completed_at", "confirm_outside_period", "version"]
        read_only_fields = ["carried_from", "completed_at"]
        extra_kwargs = {
            "effort_hours": {"help_text": "More than 0, at most 744"},
            "due_date": {"help_text": "Within the plan's period unless confirmed"},
        }

    def get_owner_name(self, obj) -> str | None:
        return _name(obj.owner) if obj.owner_id else None


class PlanMilestoneSerializer(ElementSerializer):
    objective = VisiblePrimaryKeyRelatedField(
        model=Objective, required=False, allow_null=True, help_text="An objective of the plan"
    )
    confirm_outside_period = _confirm_field()

    class Meta:
        model = Milestone
        fields = ["id", "plan", *KINDS["milestone"].fields, "confirm_outside_period"]
        fields += ["version"]


class PlanHelpRequestSerializer(ElementSerializer):
    asked_of = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(), help_text="User id of the person or team lead asked"
    )
    asked_of_name = serializers.SerializerMethodField()
    requested_by_name = serializers.SerializerMethodField()
    committed_by_name = serializers.SerializerMethodField()
    account_name = serializers.CharField(source="plan.account.name", read_only=True)
    status = EnumField(HelpStatus, enum_name="HelpStatusEnum", read_only=True)

    class Meta:
        model = HelpRequest
        fields = ["id", "plan", "account_name", *KINDS["help"].fields, "asked_of_name"]
        fields += ["status", "response", "responded_at", "requested_by", "requested_by_name"]
        fields += ["committed_by", "committed_by_name", "version"]
        read_only_fields = ["response", "responded_at", "requested_by", "committed_by"]

    def get_asked_of_name(self, obj) -> str | None:
        return _name(obj.asked_of) if obj.asked_of_id else None

    def get_requested_by_name(self, obj) -> str | None:
        return _name(obj.requested_by) if obj.requested_by_id else None

    def get_committed_by_name(self, obj) -> str | None:
        return _name(obj.committed_by) if obj.committed_by_id else None


class HelpRespondSerializer(serializers.Serializer):
    commit = serializers.BooleanField(help_text="true commits to help, false declines")
    response = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when declining"
    )
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)
    hours = serializers.DecimalField(
        max_digits=6,
        decimal_places=1,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text="When committing: hours it takes (replaces the team's estimate); counted "
        "in the person's capacity in the month it is needed",
    )


class PairingListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        pairings = list(data.all() if hasattr(data, "all") else data)
        _attach_meetings(pairings)
        return super().to_representation(pairings)


def _attach_meetings(pairings, today=None):
    """The last executive interaction of each pairing (both executives present) and
    whether the cadence is missed, as keyplan.plans.relationships reckons it; in one
    query for all. Without that module (or its PairingRow), nothing is attached."""
    try:
        from keyplan.plans.relationships import PairingRow
    except ImportError:
        return
    from keyplan.accounts.models import Interaction

    todo = [p for p in pairings if not hasattr(p, "api_meeting")]
    if not todo:
        return
    today = today or timezone.localdate()
    last = {
        (contact_id, user_id): day
        for contact_id, user_id, day in Interaction.objects.filter(
            is_executive=True,
            contacts__in={p.their_executive_id for p in todo},
            participants__in={p.our_executive_id for p in todo},
            date__lte=today,  # one dated after today is planned, not met (as on the map)
        )
        .values_list("contacts", "participants")
        .annotate(last=Max("date"))
        .order_by()
    }
    for p in todo:
        met = last.get((p.their_executive_id, p.our_executive_id))
        if met is None:
            p.api_meeting = PairingRow(p, None, None, True, 0)
        else:
            due = met + datetime.timedelta(days=p.cadence_days)
            late = (today - due).days
            p.api_meeting = PairingRow(p, met, due, late > 0, max(late, 0))


class PlanPairingSerializer(ElementSerializer):
    our_executive = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(), help_text="User id of our executive or manager"
    )
    our_executive_name = serializers.SerializerMethodField()
    their_executive = VisiblePrimaryKeyRelatedField(
        model=Contact, help_text="Contact id of the customer's executive"
    )
    their_executive_name = serializers.SerializerMethodField()
    last_met = serializers.SerializerMethodField(
        help_text="Date of the last executive interaction with both of them; null if none"
    )
    next_due = serializers.SerializerMethodField(help_text="last_met + cadence")
    overdue = serializers.SerializerMethodField(
        help_text="The cadence was missed (or they never met); null if not known"
    )

    class Meta:
        model = ExecutivePairing
        fields = ["id", "plan", *KINDS["pairing"].fields, "our_executive_name"]
        fields += ["their_executive_name", "last_met", "next_due", "overdue", "version"]
        list_serializer_class = PairingListSerializer

    def to_representation(self, obj):
        if not hasattr(obj, "api_meeting"):
            _attach_meetings([obj])
        return super().to_representation(obj)

    def get_our_executive_name(self, obj) -> str | None:
        return _name(obj.our_executive) if obj.our_executive_id else None

    def get_their_executive_name(self, obj) -> str | None:
        return _name(obj.their_executive) if obj.their_executive_id else None

    def _row(self, obj):
        return getattr(obj, "api_meeting", None)

    def get_last_met(self, obj) -> datetime.date | None:
        row = self._row(obj)
        return row.last_met if row else None

    def get_next_due(self, obj) -> datetime.date | None:
        row = self._row(obj)
        return row.due if row else None

    def get_overdue(self, obj) -> bool | None:
        row = self._row(obj)
        return row.overdue if row else None


# --- Viewsets of the parts -----------------------------------------------------------


class ObjectiveFilterSet(django_filters.FilterSet):
    plan = base._plan_filter()
    owner = IdFilter(field_name="owner_id", label="Owner's user id")

    class Meta:
        model = Objective
        fields = ["plan", "owner", "category"]


class QualitativeFilterSet(django_filters.FilterSet):
    plan = base._plan_filter()

    class Meta:
        model = QualitativeGoal
        fields = ["plan"]


class StrategyFilterSet(django_filters.FilterSet):
    plan = base._plan_filter("objective__plan_id")
    objective = IdFilter(field_name="objective_id", label="Objective id")

    class Meta:
        model = Strategy
        fields = ["plan", "objective"]


class ActionFilterSet(django_filters.FilterSet):
    plan = base._plan_filter()
    owner = IdFilter(field_name="owner_id", label="Owner's user id")
    strategy = IdFilter(field_name="strategy_id", label="Strategy id")
    status = django_filters.ChoiceFilter(choices=ActionStatus.choices)
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lte", label="Due on or before"
    )
    due_after = django_filters.DateFilter(
        field_name="due_date", lookup_expr="gte", label="Due on or after"
    )

    class Meta:
        model = Action
        fields = ["plan", "owner", "strategy", "status", "due_before", "due_after"]


class MilestoneFilterSet(django_filters.FilterSet):
    plan = base._plan_filter()
    objective = IdFilter(field_name="objective_id", label="Objective id")

    class Meta:
        model = Milestone
        fields = ["plan", "objective", "reached"]


class HelpFilterSet(django_filters.FilterSet):
    plan = base._plan_filter()
    asked_of = IdFilter(field_name="asked_of_id", label="User id of the person asked")
    status = django_filters.ChoiceFilter(choices=HelpStatus.choices)

    class Meta:
        model = HelpRequest
        fields = ["plan", "asked_of", "status"]


class PairingFilterSet(django_filters.FilterSet):
    plan = base._plan_filter()

    class Meta:
        model = ExecutivePairing
        fields = ["plan"]


@base.documented
class PlanObjectiveViewSet(base.ElementViewSet):
    """Measurable objectives of the plans the user may see, each with its progress
    (from keyplan's facts, or the value entered by hand)."""

    kind = "objective"
    model = Objective
    serializer_class = PlanObjectiveSerializer
    filterset_class = ObjectiveFilterSet
    ordering_fields = ["due_date", "category", "title", "target"]
    related = ("plan", "owner", "manual_updated_by")


@base.documented
class PlanQualitativeGoalViewSet(base.ElementViewSet):
    """Our qualitative goals for the account."""

    kind = "qualitative"
    model = QualitativeGoal
    serializer_class = PlanQualitativeGoalSerializer
    filterset_class = QualitativeFilterSet
    ordering_fields = ["text"]


@base.documented
class PlanStrategyViewSet(base.ElementViewSet):
    """How each objective will be reached (one to five strategies per objective)."""

    kind = "strategy"
    model = Strategy
    serializer_class = PlanStrategySerializer
    filterset_class = StrategyFilterSet
    ordering_fields = ["objective"]
    related = ("objective",)


@base.documented
class PlanActionViewSet(base.ElementViewSet):
    """Who does what by when, with its effort in hours, in the plans the user may see."""

    kind = "action"
    model = Action
    serializer_class = PlanActionSerializer
    filterset_class = ActionFilterSet
    ordering_fields = ["due_date", "status", "effort_hours", "title"]
    related = ("owner",)
    prefetch = ("contacts",)


@base.documented
class PlanMilestoneViewSet(base.ElementViewSet):
    """Dated points the plans must reach."""

    kind = "milestone"
    model = Milestone
    serializer_class = PlanMilestoneSerializer
    filterset_class = MilestoneFilterSet
    ordering_fields = ["date", "title", "reached"]


@base.documented
class PlanHelpRequestViewSet(base.ElementViewSet):
    """Help the account teams ask of other people. The person asked (or their manager)
    answers with ``respond`` even when they cannot see the plan."""

    kind = "help"
    model = HelpRequest
    serializer_class = PlanHelpRequestSerializer
    filterset_class = HelpFilterSet
    ordering_fields = ["needed_by", "status"]
    related = ("plan__account", "asked_of", "requested_by", "committed_by")

    @extend_schema(
        request=HelpRespondSerializer,
        responses=base.refused_or_stale({200: PlanHelpRequestSerializer})
        | {
            403: OpenApiResponse(
                description="Refused: only the person asked or their manager answers"
            )
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def respond(self, request, pk=None):
        """Commit to the request or decline it (with a reason): the person asked or their
        manager. They may not see the plan, so the request is looked up among those
        asked of them or of their reports as well as among the visible ones."""
        user = request.user
        mine = HelpRequest.objects.filter(Q(asked_of=user) | Q(asked_of__manager=user))
        visible = HelpRequest.objects.visible_to(user)
        help_request = get_object_or_404(
            HelpRequest.objects.filter(
                Q(pk__in=mine.values("pk")) | Q(pk__in=visible.values("pk"))
            ),
            pk=id_or_404(pk),
        )
        form = HelpRespondSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with base.refusals():
            help_request = services.help_respond(
                request=help_request, user=user, **form.validated_data
            )
        help_request = HelpRequest.objects.select_related(*self.related).get(pk=help_request.pk)
        return Response(
            self.serializer_class(help_request, context=self.get_serializer_context()).data
        )


@base.documented
class PlanPairingViewSet(base.ElementViewSet):
    """Executive pairings (leader to leader) with the last executive meeting of each and
    whether the agreed cadence was missed."""

    kind = "pairing"
    model = ExecutivePairing
    serializer_class = PlanPairingSerializer
    filterset_class = PairingFilterSet
    ordering_fields = ["cadence_days"]
    related = ("our_executive", "their_executive")


# --- The plan's own actions ----------------------------------------------------------


class ConfirmSerializer(serializers.Serializer):
    review = serializers.BooleanField(
        required=False,
        default=False,
        help_text="A quarterly review with the team: also keeps a version of the plan",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


class VersionNoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


class PlanVersionSerializer(serializers.ModelSerializer):
    reason = EnumField(VersionReason, enum_name="VersionReasonEnum", read_only=True)
    taken_by_name = serializers.SerializerMethodField()

    class Meta:
        model = PlanVersion
        fields = ["id", "number", "reason", "note", "taken_at", "taken_by", "taken_by_name"]
        read_only_fields = fields

    def get_taken_by_name(self, version) -> str | None:
        return _name(version.taken_by) if version.taken_by_id else None


class SectionDiffSerializer(serializers.Serializer):
    label = serializers.CharField()
    added = serializers.ListField(child=serializers.CharField())
    removed = serializers.ListField(child=serializers.CharField())
    changed = serializers.ListField(
        child=serializers.ListField(),
        help_text="[name, {field: [old, new]}] for each item changed",
    )
    fields = serializers.DictField(
        child=serializers.ListField(),
        required=False,
        help_text="{field: [old, new]} of the plan's own narrative (insights, research, proposal)",
    )
    missing_in = serializers.ChoiceField(
        choices=["old", "new"],
        required=False,
        help_text="The version that did not record this section at all (kept before "
        "versions held the narrative); its changes are not known",
    )
    unrecorded = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='{"old" or "new": [field, ...]}: fields that version did not record',
    )


class CompareSerializer(serializers.Serializer):
    a = serializers.IntegerField(help_text="The older version's number")
    b = serializers.IntegerField(help_text="The newer version's number; 0 is the plan now")
    numbers = serializers.DictField(
        child=serializers.ListField(), help_text="{field: [old, new]} of the plan's numbers"
    )
    sections = serializers.DictField(
        child=SectionDiffSerializer(),
        help_text="Only the sections that differ: insights, values, goals, research, ideas, "
        "proposal, objectives, strategies, actions, milestones, vendors, investments, "
        "qualitative, help, pairings",
    )


class ReasonSerializer(serializers.Serializer):
    label = serializers.CharField()
    points = serializers.FloatField()
    out_of = serializers.IntegerField()
    detail = serializers.CharField()


class HealthSerializer(serializers.Serializer):
    score = serializers.IntegerField(help_text="0-100")
    band = serializers.CharField(help_text="good (70 and above), fair (40-69) or poor")
    reasons = ReasonSerializer(many=True)


class LoadSerializer(serializers.Serializer):
    month = serializers.DateField()
    planned = serializers.DecimalField(
        max_digits=None, decimal_places=1, help_text="Actions and committed help together"
    )
    help = serializers.DecimalField(
        max_digits=None, decimal_places=1, help_text="Of planned: hours of help committed to"
    )
    available = serializers.DecimalField(max_digits=None, decimal_places=1)
    over = serializers.BooleanField()
    percent = serializers.IntegerField()


class PersonLoadSerializer(serializers.Serializer):
    user = serializers.IntegerField()
    name = serializers.CharField()
    weekly_hours = serializers.DecimalField(max_digits=None, decimal_places=1)
    over = serializers.BooleanField(help_text="Over their hours in at least one month")
    loads = LoadSerializer(many=True)


class CapacitySerializer(serializers.Serializer):
    months = serializers.ListField(child=serializers.DateField())
    people = PersonLoadSerializer(many=True)


def _capacity_data(months, rows) -> dict:
    people = []
    for row in rows:
        person = row[0].person
        people.append(
            {
                "user": person.pk,
                "name": str(person),
                "weekly_hours": person.weekly_hours,
                "over": any(load.over for load in row),
                "loads": [
                    {
                        "month": load.month,
                        "planned": load.planned,
                        "help": load.help,
                        "available": load.available,
                        "over": load.over,
                        "percent": load.percent,
                    }
                    for load in row
                ],
            }
        )
    return {"months": months, "people": people}


class PlanViewSet(base.PlanViewSet):
    """Account plans of the accounts the user may see, newest period first. Created,
    changed, activated and archived through plans.services; never deleted (archive).
    Also: confirm the plan is current, keep and compare versions, its health and the
    capacity of the people with actions in it."""

    @extend_schema(request=ConfirmSerializer, responses={200: PlanSerializer, 403: base.REFUSED})
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm the plan is current; with ``review`` also keep a version of it."""
        plan = self.get_object()
        form = ConfirmSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with base.refusals():
            plan = services.plan_confirm(plan=plan, user=request.user, **form.validated_data)
        return Response(PlanSerializer(plan, context=self.get_serializer_context()).data)

    @extend_schema(
        methods=["GET"],
        request=None,
        responses=PlanVersionSerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        request=VersionNoteSerializer,
        responses={201: PlanVersionSerializer, 403: base.REFUSED},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def versions(self, request, pk=None):
        """GET: the plan's versions, newest first. POST: keep a version now."""
        plan = self.get_object()
        if request.method == "POST":
            form = VersionNoteSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            with base.refusals():
                version = services.plan_save_version(
                    plan=plan, user=request.user, **form.validated_data
                )
            return Response(PlanVersionSerializer(version).data, status=201)
        rows = (
            PlanVersion.objects.filter(plan=plan)
            .select_related("taken_by")
            .defer("content")
            .order_by("-number")
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(PlanVersionSerializer(page, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("a", int, required=True, description="Older version's number"),
            OpenApiParameter(
                "b", int, required=True, description="Newer version's number; 0 is the plan now"
            ),
        ],
        responses={200: CompareSerializer, 400: OpenApiResponse(description="Bad a or b")},
    )
    @action(detail=True, methods=["get"], url_path="versions/compare", filter_backends=[])
    def compare(self, request, pk=None):
        """What was added, removed and changed between two versions (b=0: the plan now)."""
        plan = self.get_object()
        a, b = request.query_params.get("a", ""), request.query_params.get("b", "")
        errors = {
            k: ["A version number."]
            for k, v in (("a", a), ("b", b))
            if not (v.isdigit() and len(v) <= 9)
        }
        if errors:
            raise exceptions.ValidationError(errors)
        old = get_object_or_404(PlanVersion, plan=plan, number=int(a))
        if b == "0" or int(b) == 0:
            new_content = versions.snapshot(plan)
        else:
            new_content = get_object_or_404(PlanVersion, plan=plan, number=int(b)).content
        diff = versions.compare(old.content, new_content)
        numbers = diff.pop("numbers")
        return Response({"a": int(a), "b": int(b), "numbers": numbers, "sections": _plain(diff)})

    @extend_schema(responses=HealthSerializer)
    @action(detail=True, methods=["get"], filter_backends=[])
    def health(self, request, pk=None):
        """The plan's health 0-100 and the reasons behind every point."""
        plan = self.get_object()
        h = plan_health_module.plan_health(plan)
        return Response(
            HealthSerializer(
                {
                    "score": h.score,
                    "band": h.band,
                    "reasons": [vars(r) for r in h.reasons],
                }
            ).data
        )

    @extend_schema(responses=CapacitySerializer)
    @action(detail=True, methods=["get"], filter_backends=[], url_path="capacity")
    def plan_capacity(self, request, pk=None):
        """Everyone with actions in this plan, month by month over the months its actions
        fall in: hours planned across all plans against the hours they have."""
        plan = self.get_object()
        months, rows = capacity_of_plan(plan)
        return Response(CapacitySerializer(_capacity_data(months, rows)).data)


def _plain(diff: dict) -> dict:
    """compare()'s tuples as lists (JSON)."""
    return {
        key: section | {"changed": [[name, changes] for name, changes in section["changed"]]}
        for key, section in diff.items()
    }


# --- My work and the team's capacity -------------------------------------------------


class TerritoryWorkItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    due_date = serializers.DateField()
    effort_hours = serializers.DecimalField(max_digits=6, decimal_places=1)
    status = serializers.CharField()
    strategy = serializers.CharField(source="strategy.title")
    territory_plan = serializers.IntegerField(source="plan_id")
    rep = serializers.StringRelatedField(source="plan.rep")
    url = serializers.CharField(help_text="The territory plan's page; empty when I may not open it")


class MyWorkSerializer(serializers.Serializer):
    overdue = PlanActionSerializer(many=True)
    this_week = PlanActionSerializer(many=True, help_text="Due today to 7 days from now")
    next_30 = PlanActionSerializer(many=True, help_text="Due 8 to 30 days from now")
    asked_of_me = PlanHelpRequestSerializer(
        many=True, help_text="Requests waiting for an answer from me or one of my reports"
    )
    my_requests = PlanHelpRequestSerializer(many=True, help_text="My requests not yet answered")
    to_decide = PlanInvestmentSerializer(many=True, help_text="Submitted cases I may decide")
    my_cases = PlanInvestmentSerializer(many=True, help_text="Cases I submitted, waiting")
    territory_overdue = TerritoryWorkItemSerializer(
        many=True, help_text="My open territory-plan activities past their date"
    )
    territory_this_week = TerritoryWorkItemSerializer(
        many=True, help_text="My territory-plan activities due today to 7 days from now"
    )
    territory_next_30 = TerritoryWorkItemSerializer(
        many=True, help_text="My territory-plan activities due 8 to 30 days from now"
    )


class MyWorkView(APIView):
    """The signed-in user's work across plans (as the My work page): their open actions
    overdue, due this week and in the next 30 days; requests for help asked of them and
    their own still open; investment cases they may decide and their own waiting."""

    @extend_schema(responses=MyWorkSerializer)
    def get(self, request):
        user = request.user
        today = timezone.localdate()
        visible = AccountPlan.objects.visible_to(user).values("pk")
        actions = (
            Action.objects.filter(owner=user, status__in=OPEN_ACTION_STATUSES, plan__in=visible)
            .exclude(plan__status="archived")
            .select_related("owner")
            .prefetch_related("contacts")
            .order_by("due_date", "pk")
        )
        week_end = today + datetime.timedelta(days=7)
        month_end = today + datetime.timedelta(days=30)
        cases = (
            InvestmentCase.objects.filter(status=InvestmentStatus.SUBMITTED, idea__plan__in=visible)
            .exclude(idea__plan__status="archived")
            .select_related("idea__plan__account", "submitted_by", "decided_by")
            .prefetch_related(
                Prefetch("events", queryset=InvestmentEvent.objects.select_related("user"))
            )
            .order_by("submitted_at", "pk")
        )
        to_decide = [
            c
            for c in cases.exclude(submitted_by=user)[:MY_WORK_ROWS]
            if decide_refusal(user, c) is None
        ]
        helps = (
            HelpRequest.objects.filter(status=HelpStatus.REQUESTED)
            .exclude(plan__status="archived")
            .select_related("plan__account", "asked_of", "requested_by")
        )
        data = {
            "overdue": actions.filter(due_date__lt=today)[:MY_WORK_ROWS],
            "this_week": actions.filter(due_date__range=(today, week_end))[:MY_WORK_ROWS],
            "next_30": actions.filter(due_date__gt=week_end, due_date__lte=month_end)[
                :MY_WORK_ROWS
            ],
            "asked_of_me": helps.filter(Q(asked_of=user) | Q(asked_of__manager=user)).order_by(
                "needed_by", "pk"
            )[:MY_WORK_ROWS],
            "my_requests": helps.filter(requested_by=user).order_by("needed_by", "pk")[
                :MY_WORK_ROWS
            ],
            "to_decide": to_decide,
            "my_cases": cases.filter(submitted_by=user)[:MY_WORK_ROWS],
        }
        territory = territory_work(user, today, limit=MY_WORK_ROWS)
        for group in ("overdue", "this_week", "next_30"):
            data[f"territory_{group}"] = territory[group]
        return Response(MyWorkSerializer(data, context={"request": request}).data)


class TeamCapacitySerializer(CapacitySerializer):
    total = serializers.IntegerField(help_text="People in scope (the first 60 are shown)")
    teams = serializers.ListField(
        child=serializers.DictField(), help_text="[{id, name}] of the teams to choose from"
    )


class CapacityView(APIView):
    """Hours planned per person per month over the next 6 months, across all plans that
    are not archived, against the hours each has — for the people the user may see (as
    the Capacity page), optionally one team's."""

    @extend_schema(
        parameters=[OpenApiParameter("team", int, required=False, description="Team id")],
        responses=TeamCapacitySerializer,
    )
    def get(self, request):
        scope = scope_for(request.user)
        people = User.objects.filter(is_active=True)
        if not scope.everything:
            people = people.filter(pk__in=scope.user_ids)
        teams = (
            Team.objects.filter(Q(members__in=people) | Q(manager__in=people))
            .distinct()
            .order_by("name")
        )
        team = request.query_params.get("team", "")
        if team:
            if not (team.isdigit() and len(team) <= 12):
                raise exceptions.ValidationError({"team": ["A team id."]})
            people = people.filter(team_id=int(team))
        people = (
            people.filter(
                Q(plan_actions__isnull=False)
                | Q(team__isnull=False)
                | Q(help_requests__status=HelpStatus.COMMITTED)
            )
            .distinct()
            .order_by("last_name", "first_name")
        )
        total = people.count()
        first = month_start(timezone.localdate())
        months = [add_months(first, i) for i in range(CAPACITY_MONTHS)]
        rows = capacity(people[:CAPACITY_PEOPLE], months)
        data = _capacity_data(months, rows) | {
            "total": total,
            "teams": [{"id": t.pk, "name": t.name} for t in teams],
        }
        return Response(TeamCapacitySerializer(data).data)


__all__ = [
    "CapacityView",
    "MyWorkView",
    "PlanActionViewSet",
    "PlanHelpRequestViewSet",
    "PlanMilestoneViewSet",
    "PlanObjectiveViewSet",
    "PlanPairingViewSet",
    "PlanQualitativeGoalViewSet",
    "PlanStrategyViewSet",
    "PlanViewSet",
]
