"""What the territory plan API reads and writes: the plan with its step states, and
each part of it."""

from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from keyplan.api.versions import (
    VersionedSerializer,
    VersionField,
)
from keyplan.catalog.models import ProductLine
from keyplan.people.models import User
from keyplan.salesplan.choices import (
    ActivityCadence,
    Leverage,
    ObjectiveKind,
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
from keyplan.salesplan.territory import versions
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
    no_plan_reasons = serializers.DictField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Why an A account has no account plan, by account id.",
    )

    class Meta(TerritoryPlanSerializer.Meta):
        fields = TerritoryPlanSerializer.Meta.fields + [
            "facts_note",
            "no_plan_reasons",
            "steps",
            "strategies",
            "activities",
            "objectives",
            "goals",
        ]
        read_only_fields = TerritoryPlanSerializer.Meta.read_only_fields + [
            "facts_note",
            "no_plan_reasons",
        ]

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
    reasons = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=255),
        required=False,
        help_text="Why an A account of the rep has no account plan, by account id "
        '({"42": "Merger pending"}); given, it replaces the reasons held (blank removes '
        "one); left out, they are kept.",
    )
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
