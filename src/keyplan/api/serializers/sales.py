"""Sales facts: sale lines (what was bought) and opportunities (the pipeline). Saved by
the viewsets through ``sales.services`` so the sales roll-up follows every write."""

from rest_framework import serializers

from keyplan.accounts.models import Account
from keyplan.api.fields import VisiblePrimaryKeyRelatedField
from keyplan.api.versions import VersionedSerializer
from keyplan.people.models import User
from keyplan.sales.choices import STAGE_PROBABILITY, STAGE_STATUS, OpportunityStatus, Stage
from keyplan.sales.models import Opportunity, OpportunityProduct, OpportunityStageChange, SaleLine


class SaleLineSerializer(VersionedSerializer):
    account = VisiblePrimaryKeyRelatedField(model=Account)
    account_name = serializers.CharField(source="account.name", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True)
    product_line = serializers.IntegerField(source="product.product_line_id", read_only=True)
    product_line_name = serializers.CharField(source="product.product_line.name", read_only=True)
    opportunity = VisiblePrimaryKeyRelatedField(
        model=Opportunity,
        required=False,
        allow_null=True,
        help_text="The won deal this sale delivers, at the same account",
    )

    class Meta:
        model = SaleLine
        fields = [
            "id",
            "external_id",
            "account",
            "account_name",
            "product",
            "product_name",
            "product_line",
            "product_line_name",
            "date",
            "amount",
            "quantity",
            "opportunity",
            "version",
        ]

    def validate(self, data):
        line = self.instance
        opp = data["opportunity"] if "opportunity" in data else getattr(line, "opportunity", None)
        account = data.get("account", getattr(line, "account", None))
        if opp is not None and opp.account_id != account.pk:
            raise serializers.ValidationError(
                {"opportunity": f"{opp} is a deal of another account, not of {account}."}
            )
        return data


class OpportunityProductSerializer(serializers.ModelSerializer):
    """One product of a deal and its part of the deal's amount (a Salesforce line item)."""

    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = OpportunityProduct
        fields = ["id", "external_id", "product", "product_name", "amount", "quantity"]
        read_only_fields = fields


class StageChangeSerializer(serializers.ModelSerializer):
    """One step of a deal's stage history: from, to, when, and who (a user, or where the
    change came from: "API", "import", "Salesforce stage history")."""

    who = serializers.CharField(read_only=True)

    class Meta:
        model = OpportunityStageChange
        fields = ["from_stage", "to_stage", "probability", "changed_at", "changed_by", "who"]
        read_only_fields = fields


class OpportunitySerializer(VersionedSerializer):
    """A deal. With one of keyplan's default stages the status follows the stage (a
    status that contradicts it is refused) and, when none is given on creation, so does
    the probability. Other stage names (kept from a source CRM) take any status."""

    account = VisiblePrimaryKeyRelatedField(model=Account)
    account_name = serializers.CharField(source="account.name", read_only=True)
    product_name = serializers.CharField(source="product.name", read_only=True, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text="User id; defaults to the user who creates it",
    )
    owner_name = serializers.SerializerMethodField()
    stage = serializers.CharField(
        max_length=60,
        required=False,
        help_text="Default stages: " + ", ".join(Stage.values) + "; other names are kept as is",
    )
    weighted_amount = serializers.DecimalField(
        max_digits=18,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="amount × probability / 100; null while the amount is not known",
    )

    line_items = OpportunityProductSerializer(
        many=True,
        read_only=True,
        help_text="The deal's products and their amounts (from the source's line items); "
        "when present the deal is in the pipeline of each, else of its own product",
    )
    stage_history = StageChangeSerializer(
        source="stage_changes",
        many=True,
        read_only=True,
        help_text="The stages the deal went through, oldest first (win rates by stage are "
        "learned from them)",
    )
    overdue = serializers.BooleanField(
        source="is_overdue",
        read_only=True,
        help_text="Still open after its close date (an unknown close date is never overdue)",
    )

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "external_id",
            "account",
            "account_name",
            "product",
            "product_name",
            "name",
            "stage",
            "status",
            "amount",
            "probability",
            "weighted_amount",
            "created_date",
            "close_date",
            "overdue",
            "owner",
            "owner_name",
            "line_items",
            "stage_history",
            "updated_at",
            "version",
        ]
        read_only_fields = ["updated_at"]

    def get_owner_name(self, opportunity) -> str | None:
        return str(opportunity.owner) if opportunity.owner_id else None

    def validate(self, data):
        opp = self.instance
        created = data.get("created_date", getattr(opp, "created_date", None))
        close = data.get("close_date", getattr(opp, "close_date", None))
        if created and close and close < created:
            raise serializers.ValidationError(
                {"close_date": f"{close} is before the created date {created}."}
            )
        stage = data.get("stage", getattr(opp, "stage", Stage.PROSPECTING))
        status = data.get("status", getattr(opp, "status", None))
        expected = STAGE_STATUS.get(stage)
        if expected is not None and "status" in data and status != expected:
            raise serializers.ValidationError(
                {"status": f"Stage “{stage}” means status “{expected.value}”, not “{status}”."}
            )
        # An open deal may not know its amount or close date yet; a won or lost one must.
        final = expected if expected is not None else status
        if final in (OpportunityStatus.WON, OpportunityStatus.LOST):
            missing = {
                name: f"A {OpportunityStatus(final).value} opportunity needs its {label}."
                for name, label in (("amount", "amount"), ("close_date", "close date"))
                if data.get(name, getattr(opp, name, None)) is None
            }
            if missing:
                raise serializers.ValidationError(missing)
        if opp is None and "probability" not in data and stage in STAGE_PROBABILITY:
            data["probability"] = STAGE_PROBABILITY[stage]
        return data
