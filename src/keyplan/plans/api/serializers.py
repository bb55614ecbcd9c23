"""Representations of plans and their parts. Never saved by ``save()``: the viewsets
pass validated data to plans.services. References accept only records the user may
see, so an invisible id is answered like a missing one."""

from functools import cache

from rest_framework import serializers

from keyplan.accounts.models import Account, Contact
from keyplan.api.fields import VisiblePrimaryKeyRelatedField
from keyplan.catalog.models import Product, ProductLine
from keyplan.people.models import User
from keyplan.plans import selectors
from keyplan.plans.api.fields import EnumField, VisibleIdField
from keyplan.plans.choices import (
    ChangeAction,
    Delivery,
    GoalLevel,
    IdeaStage,
    InvestmentStatus,
    PlanStatus,
    VendorKind,
)
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
from keyplan.plans.permissions import edit_refusal
from keyplan.plans.services.elements import KINDS
from keyplan.plans.services.plan import PLAN_FIELDS
from keyplan.sales.models import Opportunity

VERSION_HELP = (
    "The version you loaded. When given and someone saved the item since, nothing is "
    "saved and the answer is 409 saying who changed what; leave it out to overwrite."
)
# A change (PATCH) or delete must name its version (428 without): keyplan.api.versions.
CHANGE_VERSION_HELP = (
    "The version you loaded (from a GET). Required (or an If-Match header with the ETag): "
    "without it nothing is saved and the answer is 428; when someone saved the item "
    "since, 409 saying who changed what."
)


def _active_users():
    return User.objects.filter(is_active=True)


def _name(obj) -> str | None:
    return str(obj) if obj is not None else None


# --- Plans ---------------------------------------------------------------------------


class PlanSerializer(serializers.ModelSerializer):
    """A plan as listed and as created: ``account`` must be one the user may see, and
    the user must be its owner, on its team or the owner's manager (else 403)."""

    account = VisiblePrimaryKeyRelatedField(model=Account)
    account_name = serializers.CharField(source="account.name", read_only=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(),
        required=False,
        allow_null=True,
        help_text="User id of the accountable account manager; defaults to the account's owner",
    )
    owner_name = serializers.SerializerMethodField()
    team = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(),
        many=True,
        required=False,
        help_text="User ids of the account team; defaults to the account's team",
    )
    covered_accounts = VisiblePrimaryKeyRelatedField(
        model=Account, many=True, required=False, help_text="Accounts under this one it covers"
    )
    proposal_presented_to = VisiblePrimaryKeyRelatedField(
        model=Contact, required=False, allow_null=True
    )
    carry_forward = serializers.BooleanField(
        write_only=True,
        required=False,
        default=False,
        help_text="Copy the open goals and ideas of the account's previous plan",
    )
    status = EnumField(PlanStatus, enum_name="PlanStatusEnum", read_only=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = AccountPlan
        fields = [
            "id",
            "account",
            "account_name",
            *PLAN_FIELDS,
            "owner_name",
            "team",
            "covered_accounts",
            "status",
            "opportunities",
            "carried_from",
            "carry_forward",
            "version",
            "created_by",
            "created_at",
            "updated_at",
            "activated_at",
            "archived_at",
        ]
        read_only_fields = [
            "status",
            "opportunities",
            "carried_from",
            "created_by",
            "created_at",
            "updated_at",
            "activated_at",
            "archived_at",
        ]
        extra_kwargs = {
            "period_start": {"required": False, "help_text": "Default: next month's first day"},
            "period_end": {"required": False, "help_text": "Default: 12 months after the start"},
        }

    def get_owner_name(self, plan) -> str | None:
        return _name(plan.owner) if plan.owner_id else None

    def create(self, validated_data):
        raise NotImplementedError("Plans are created by plans.services.plan_create")

    def update(self, instance, validated_data):
        raise NotImplementedError("Plans are changed by plans.services.plan_update")


class PlanUpdateSerializer(PlanSerializer):
    """A change to a plan's own fields (the account stays; status has its actions)."""

    account = serializers.PrimaryKeyRelatedField(read_only=True)
    version = serializers.IntegerField(required=False, min_value=1, help_text=CHANGE_VERSION_HELP)

    class Meta(PlanSerializer.Meta):
        fields = [f for f in PlanSerializer.Meta.fields if f != "carry_forward"]


class GaugeSerializer(serializers.Serializer):
    goal = serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True)
    pipeline = serializers.DecimalField(max_digits=None, decimal_places=2)
    ratio = serializers.DecimalField(
        max_digits=None, decimal_places=2, allow_null=True, help_text="pipeline / goal"
    )
    gap = serializers.DecimalField(
        max_digits=None, decimal_places=2, help_text="More pipeline needed to reach 2.5x the goal"
    )
    status = serializers.ChoiceField(choices=["no-goal", "low", "in-band", "above"])


class ByDeliverySerializer(serializers.Serializer):
    direct = serializers.DecimalField(max_digits=None, decimal_places=2)
    joint = serializers.DecimalField(max_digits=None, decimal_places=2)
    partner = serializers.DecimalField(max_digits=None, decimal_places=2)


class CoverageSerializer(serializers.Serializer):
    ideas = serializers.DecimalField(
        max_digits=None, decimal_places=2, help_text="Value of ideas not yet opportunities"
    )
    opportunities = serializers.DecimalField(
        max_digits=None, decimal_places=2, help_text="Open linked opportunities, each once"
    )
    pipeline = serializers.DecimalField(max_digits=None, decimal_places=2)
    by_delivery = ByDeliverySerializer()
    revenue = GaugeSerializer()
    stretch = GaugeSerializer()
    amount_not_known = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of open linked opportunities whose amount is not known: not counted",
    )


class StepSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    key = serializers.CharField()
    title = serializers.CharField()
    done = serializers.BooleanField()
    missing = serializers.ListField(child=serializers.CharField())


class FactsSerializer(serializers.Serializer):
    window_label = serializers.CharField()
    run_rate = serializers.DecimalField(max_digits=None, decimal_places=2)
    potential = serializers.DecimalField(max_digits=None, decimal_places=2, allow_null=True)
    potential_method = serializers.CharField()
    share_of_wallet = serializers.FloatField(allow_null=True)
    tier = serializers.CharField(allow_null=True)


class PlanDetailSerializer(PlanSerializer):
    """One plan with its pipeline coverage, the guided steps and what each still misses,
    and the facts beside the goals (run-rate, potential, share of wallet)."""

    coverage = CoverageSerializer(source="api_coverage", read_only=True)
    progress = StepSerializer(source="api_progress", many=True, read_only=True)
    facts = FactsSerializer(source="api_facts", read_only=True)
    edit_refusal = serializers.SerializerMethodField(
        help_text="Why you may not change the plan now; null when you may"
    )

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "coverage", "progress", "facts", "edit_refusal"]

    def get_edit_refusal(self, plan) -> str | None:
        request = self.context.get("request")
        return edit_refusal(request.user if request else None, plan)

    def to_representation(self, plan):
        plan.api_coverage = selectors.coverage(plan)
        plan.api_progress = selectors.progress(plan, plan.api_coverage)
        plan.api_facts = selectors.plan_facts(plan)
        return super().to_representation(plan)


class PlanChangeSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField()
    action = EnumField(ChangeAction, enum_name="PlanChangeActionEnum", read_only=True)
    changes = serializers.JSONField(read_only=True, help_text="{field: [before, after]}")

    class Meta:
        model = PlanChange
        fields = ["id", "at", "user", "user_name", "action", "subject", "object_id", "label"]
        fields += ["changes", "by_name"]
        read_only_fields = fields
        extra_kwargs = {
            "by_name": {"help_text": "The customer's person who made the change on the shared plan"}
        }

    def get_user_name(self, change) -> str | None:
        return _name(change.user) if change.user_id else None


class ElementSerializer(serializers.ModelSerializer):
    """A part of a plan, created for ``plan`` (a plan the user may see) and saved by
    plans.services.element_save."""

    plan = VisiblePrimaryKeyRelatedField(model=AccountPlan)
    version = serializers.IntegerField(read_only=True)

    def create(self, validated_data):
        raise NotImplementedError("Saved by plans.services.element_save")

    def update(self, instance, validated_data):
        raise NotImplementedError("Saved by plans.services.element_save")


@cache
def update_serializer(base):
    """The serializer for changing a part: its plan stays, ``version`` may be sent."""
    name = base.__name__.replace("Serializer", "UpdateSerializer")
    attrs = {
        "__module__": __name__,
        "__doc__": f"A change to a {base.Meta.model._meta.verbose_name}.",
        "version": serializers.IntegerField(
            required=False, min_value=1, help_text=CHANGE_VERSION_HELP
        ),
    }
    if "plan" in base._declared_fields and not base._declared_fields["plan"].read_only:
        attrs["plan"] = serializers.PrimaryKeyRelatedField(read_only=True)
    return type(name, (base,), attrs)


class PlanGoalSerializer(ElementSerializer):
    level = EnumField(GoalLevel, enum_name="GoalLevelEnum")
    organisation = VisiblePrimaryKeyRelatedField(
        model=Account, required=False, allow_null=True, help_text="An account under the plan's"
    )
    contacts = VisiblePrimaryKeyRelatedField(
        model=Contact, many=True, required=False, help_text="Contact ids of who holds the goal"
    )
    source_contact = VisiblePrimaryKeyRelatedField(
        model=Contact, required=False, allow_null=True, help_text="Who we heard it from"
    )

    class Meta:
        model = CustomerGoal
        fields = ["id", "plan", *KINDS["goal"].fields, "contacts"]
        fields += ["carried_from", "version", "created_at"]
        read_only_fields = ["carried_from", "created_at"]


class PlanValueSerializer(ElementSerializer):
    class Meta:
        model = ValueStatement
        fields = ["id", "plan", *KINDS["value"].fields, "version"]


class PlanVendorSerializer(ElementSerializer):
    relation = EnumField(VendorKind, enum_name="VendorRelationEnum", required=False)
    product_lines = VisiblePrimaryKeyRelatedField(
        model=ProductLine, many=True, required=False, help_text="Where they sell"
    )

    class Meta:
        model = Vendor
        fields = ["id", "plan", *KINDS["vendor"].fields, "product_lines"]
        fields += ["version"]


class PlanIdeaSerializer(ElementSerializer):
    delivery = EnumField(Delivery, enum_name="DeliveryEnum", required=False)
    stage = EnumField(IdeaStage, enum_name="IdeaStageEnum", read_only=True)
    goal = VisiblePrimaryKeyRelatedField(
        model=CustomerGoal, required=False, allow_null=True, help_text="A goal of the same plan"
    )
    product = VisiblePrimaryKeyRelatedField(model=Product, required=False, allow_null=True)
    product_line = VisiblePrimaryKeyRelatedField(model=ProductLine, required=False, allow_null=True)

    class Meta:
        model = Idea
        fields = ["id", "plan", *KINDS["idea"].fields, "stage", "opportunity"]
        fields += ["carried_from", "created_by", "version", "created_at"]
        read_only_fields = ["stage", "opportunity", "carried_from", "created_by", "created_at"]
        extra_kwargs = {"expected_date": {"help_text": "Within the plan's period"}}


class InvestmentEventSerializer(serializers.ModelSerializer):
    user_name = serializers.SerializerMethodField()
    status = EnumField(InvestmentStatus, enum_name="InvestmentStatusEnum", read_only=True)

    class Meta:
        model = InvestmentEvent
        fields = ["status", "user", "user_name", "at", "comment"]
        read_only_fields = fields

    def get_user_name(self, event) -> str | None:
        return _name(event.user) if event.user_id else None


class PlanInvestmentSerializer(ElementSerializer):
    """An investment case for one idea (its plan is the idea's). Changed only as a draft
    or after it was declined; submitted and decided by its actions."""

    plan = serializers.IntegerField(source="idea.plan_id", read_only=True)
    idea = VisiblePrimaryKeyRelatedField(model=Idea, help_text="An idea of the plan")
    our_cost = serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        read_only=True,
        help_text="cost × (100 - customer_share) / 100",
    )
    submitted_by_name = serializers.SerializerMethodField()
    decided_by_name = serializers.SerializerMethodField()
    events = InvestmentEventSerializer(many=True, read_only=True)
    status = EnumField(InvestmentStatus, enum_name="InvestmentStatusEnum", read_only=True)

    class Meta:
        model = InvestmentCase
        fields = ["id", "plan", *KINDS["investment"].fields, "our_cost"]
        fields += ["status", "submitted_by", "submitted_by_name", "submitted_at", "decided_by"]
        fields += ["decided_by_name", "decided_at", "decision_comment", "events", "version"]
        read_only_fields = [
            "status",
            "submitted_by",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_comment",
        ]

    def get_submitted_by_name(self, case) -> str | None:
        return _name(case.submitted_by) if case.submitted_by_id else None

    def get_decided_by_name(self, case) -> str | None:
        return _name(case.decided_by) if case.decided_by_id else None


class IdeaMoveSerializer(serializers.Serializer):
    stage = EnumField(IdeaStage, enum_name="IdeaStageEnum")
    opportunity = VisibleIdField(
        model=Opportunity,
        required=False,
        allow_null=True,
        help_text="Moving to opportunity: an open opportunity of the plan's accounts to "
        "link; without it one is created from the idea",
    )
    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.all(),
        required=False,
        allow_null=True,
        help_text="Moving to opportunity: the product of the new opportunity, one of the "
        "idea's product line (for an idea that names a line but no product yet)",
    )
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class InvestmentSubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class InvestmentDecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField(help_text="true approves, false declines")
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when declining"
    )
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)
