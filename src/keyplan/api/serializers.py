"""API representations. Writes go through the same services as the pages."""

from rest_framework import serializers

from keyplan.accounts.models import Account, AccountTeamMember, Contact, Interaction
from keyplan.api.fields import VisiblePrimaryKeyRelatedField
from keyplan.catalog.models import Product, ProductLine
from keyplan.core.chains import closes_loop
from keyplan.people.models import User
from keyplan.sales.choices import STAGE_STATUS
from keyplan.sales.models import Opportunity, SaleLine


class UserSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_full_name", read_only=True)
    team = serializers.CharField(source="team.name", read_only=True, default=None)

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "name",
            "email",
            "role",
            "title",
            "team",
            "manager",
            "weekly_hours",
        ]
        read_only_fields = fields


class TeamMemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = AccountTeamMember
        fields = ["user", "username", "role"]
        read_only_fields = fields


class AccountSerializer(serializers.ModelSerializer):
    parent = VisiblePrimaryKeyRelatedField(model=Account, required=False, allow_null=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, default=None)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    owner_name = serializers.SerializerMethodField()
    team = TeamMemberSerializer(source="team_members", many=True, read_only=True)

    class Meta:
        model = Account
        fields = [
            "id",
            "external_id",
            "name",
            "kind",
            "parent",
            "parent_name",
            "depth",
            "industry",
            "country",
            "region",
            "employees",
            "annual_revenue",
            "website",
            "owner",
            "owner_name",
            "team",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["depth", "created_at", "updated_at"]

    def get_owner_name(self, account) -> str | None:
        return str(account.owner) if account.owner else None


class ContactSerializer(serializers.ModelSerializer):
    account = VisiblePrimaryKeyRelatedField(model=Account)
    account_name = serializers.CharField(source="account.name", read_only=True)
    reports_to = VisiblePrimaryKeyRelatedField(model=Contact, required=False, allow_null=True)
    relationship_owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(), required=False, allow_null=True
    )
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "external_id",
            "account",
            "account_name",
            "name",
            "first_name",
            "last_name",
            "title",
            "function",
            "seniority",
            "reports_to",
            "email",
            "phone",
            "is_active",
            "decision_role",
            "attitude",
            "relationship_strength",
            "relationship_owner",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, data):
        boss = data.get("reports_to", getattr(self.instance, "reports_to", None))
        account = data.get("account", getattr(self.instance, "account", None))
        if boss is not None:
            if self.instance is not None and boss.pk == self.instance.pk:
                raise serializers.ValidationError(
                    {"reports_to": "A contact cannot report to themselves."}
                )
            if account is not None and boss.account_id != account.pk:
                raise serializers.ValidationError(
                    {"reports_to": "The manager must work at the same account."}
                )
            if self.instance is not None and closes_loop(self.instance.pk, boss, "reports_to"):
                raise serializers.ValidationError(
                    {"reports_to": "That would make a cycle in the reporting line."}
                )
        return data


class InteractionSerializer(serializers.ModelSerializer):
    account = VisiblePrimaryKeyRelatedField(model=Account)
    contacts = VisiblePrimaryKeyRelatedField(model=Contact, many=True)
    participants = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, required=False
    )

    class Meta:
        model = Interaction
        fields = [
            "id",
            "external_id",
            "account",
            "kind",
            "date",
            "subject",
            "notes",
            "contacts",
            "participants",
            "is_executive",
            "created_at",
        ]
        read_only_fields = ["created_at"]

    def validate(self, data):
        account = data.get("account", getattr(self.instance, "account", None))
        contacts = data.get("contacts")
        if contacts is not None:
            if not contacts:
                raise serializers.ValidationError({"contacts": "At least one contact."})
            strangers = [c.pk for c in contacts if c.account_id != account.pk]
            if strangers:
                raise serializers.ValidationError(
                    {"contacts": f"Contacts {strangers} do not work at this account."}
                )
        return data


class ProductLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductLine
        fields = ["id", "name", "is_core", "description"]


class ProductSerializer(serializers.ModelSerializer):
    product_line_name = serializers.CharField(source="product_line.name", read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "external_id",
            "name",
            "product_line",
            "product_line_name",
            "list_price",
            "is_active",
        ]


class SaleLineSerializer(serializers.ModelSerializer):
    account = VisiblePrimaryKeyRelatedField(model=Account)
    opportunity = VisiblePrimaryKeyRelatedField(model=Opportunity, required=False, allow_null=True)

    class Meta:
        model = SaleLine
        fields = [
            "id",
            "external_id",
            "account",
            "product",
            "date",
            "amount",
            "quantity",
            "opportunity",
        ]

    def validate(self, data):
        opp = data.get("opportunity")
        account = data.get("account", getattr(self.instance, "account", None))
        if opp is not None and account is not None and opp.account_id != account.pk:
            raise serializers.ValidationError(
                {"opportunity": "The opportunity belongs to another account."}
            )
        return data


class OpportunitySerializer(serializers.ModelSerializer):
    account = VisiblePrimaryKeyRelatedField(model=Account)
    account_name = serializers.CharField(source="account.name", read_only=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    weighted_amount = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "external_id",
            "account",
            "account_name",
            "product",
            "name",
            "stage",
            "status",
            "amount",
            "probability",
            "weighted_amount",
            "created_date",
            "close_date",
            "owner",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]

    def validate(self, data):
        created = data.get("created_date", getattr(self.instance, "created_date", None))
        close = data.get("close_date", getattr(self.instance, "close_date", None))
        if created and close and close < created:
            raise serializers.ValidationError({"close_date": "Is before the created date."})
        stage = data.get("stage", getattr(self.instance, "stage", None))
        status = data.get("status")
        if stage in STAGE_STATUS and status is not None and status != STAGE_STATUS[stage]:
            raise serializers.ValidationError(
                {"status": f"Stage “{stage}” means status “{STAGE_STATUS[stage]}”."}
            )
        return data
