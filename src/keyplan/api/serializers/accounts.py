"""Accounts and what sits under them: contacts and interactions."""

from rest_framework import serializers

from keyplan.accounts.models import Account, AccountTeamMember, Contact, Interaction
from keyplan.api.fields import VisiblePrimaryKeyRelatedField
from keyplan.api.versions import VersionedSerializer
from keyplan.core.chains import closes_loop
from keyplan.core.words import plural
from keyplan.people.models import User


def _active_users():
    return User.objects.filter(is_active=True)


class TeamMemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    name = serializers.SerializerMethodField()

    class Meta:
        model = AccountTeamMember
        fields = ["user", "username", "name", "role"]
        read_only_fields = fields

    def get_name(self, member) -> str:
        return str(member.user)


class AccountSerializer(VersionedSerializer):
    """An account. Saved by the viewset through ``accounts.services`` (never ``save()``),
    which keeps depth and the lineage closure table (and so visibility) right."""

    parent = VisiblePrimaryKeyRelatedField(model=Account, required=False, allow_null=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)
    owner = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(),
        required=False,
        allow_null=True,
        help_text="User id of the accountable rep; defaults to the user who creates it",
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
            "version",
        ]
        read_only_fields = ["depth", "created_at", "updated_at"]

    def get_owner_name(self, account) -> str | None:
        return str(account.owner) if account.owner_id else None

    def create(self, validated_data):
        raise NotImplementedError("Accounts are created by accounts.services.account_create")

    def update(self, instance, validated_data):
        raise NotImplementedError("Accounts are changed by accounts.services.account_update")


class ContactSerializer(VersionedSerializer):
    """A person at a customer account. ``reports_to`` is another contact at the same
    account, never the contact itself nor anyone who (directly or not) reports to it."""

    account = VisiblePrimaryKeyRelatedField(model=Account)
    account_name = serializers.CharField(source="account.name", read_only=True)
    reports_to = VisiblePrimaryKeyRelatedField(model=Contact, required=False, allow_null=True)
    reports_to_name = serializers.CharField(
        source="reports_to.name", read_only=True, allow_null=True
    )
    relationship_owner = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(), required=False, allow_null=True
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
            "reports_to_name",
            "email",
            "phone",
            "is_active",
            "decision_role",
            "attitude",
            "relationship_strength",
            "relationship_owner",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, data):
        contact = self.instance
        account = data.get("account", getattr(contact, "account", None))
        boss = data["reports_to"] if "reports_to" in data else getattr(contact, "reports_to", None)
        if boss is not None:
            if contact is not None and boss.pk == contact.pk:
                raise serializers.ValidationError(
                    {"reports_to": "A contact cannot report to themselves."}
                )
            if boss.account_id != account.pk:
                raise serializers.ValidationError(
                    {
                        "reports_to": f"{boss} works at another account; the manager must work "
                        f"at {account} (or clear reports_to)."
                    }
                )
            if contact is not None and closes_loop(contact.pk, boss, "reports_to"):
                raise serializers.ValidationError(
                    {
                        "reports_to": f"{boss} already reports (directly or not) to {contact}; "
                        "that would make a cycle in the reporting line."
                    }
                )
        if contact is not None and account.pk != contact.account_id:
            left_behind = contact.direct_reports.exclude(account_id=account.pk).count()
            if left_behind:
                raise serializers.ValidationError(
                    {
                        "account": f"{plural(left_behind, 'contact')} at {contact.account} "
                        f"{'reports' if left_behind == 1 else 'report'} to {contact}; change "
                        "their reporting line before moving them."
                    }
                )
        return data


class InteractionSerializer(VersionedSerializer):
    """A touchpoint with one or more contacts, all of them at the interaction's account."""

    account = VisiblePrimaryKeyRelatedField(model=Account)
    account_name = serializers.CharField(source="account.name", read_only=True)
    contacts = VisiblePrimaryKeyRelatedField(
        model=Contact, many=True, help_text="Contact ids, all at the interaction's account"
    )
    participants = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(), many=True, required=False, help_text="User ids of our people"
    )

    class Meta:
        model = Interaction
        fields = [
            "id",
            "external_id",
            "account",
            "account_name",
            "kind",
            "date",
            "subject",
            "notes",
            "contacts",
            "participants",
            "is_executive",
            "created_at",
            "version",
        ]
        read_only_fields = ["created_at"]

    def validate(self, data):
        interaction = self.instance
        account = data.get("account", getattr(interaction, "account", None))
        if "contacts" in data:
            contacts = data["contacts"]
            if not contacts:
                raise serializers.ValidationError(
                    {"contacts": "Name at least one contact the interaction was with."}
                )
        else:
            # Moving an interaction to another account: its contacts must follow the rule too.
            contacts = list(interaction.contacts.all()) if interaction is not None else []
        strangers = sorted(c.pk for c in contacts if c.account_id != account.pk)
        if strangers:
            ids = ", ".join(str(pk) for pk in strangers)
            raise serializers.ValidationError(
                {
                    "contacts": f"{'Contact' if len(strangers) == 1 else 'Contacts'} {ids} "
                    f"{'does' if len(strangers) == 1 else 'do'} not work at {account}."
                }
            )
        return data
