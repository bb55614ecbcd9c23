"""The people of the sales organisation, as clients need them to resolve owners."""

from rest_framework import serializers

from keyplan.people.models import User


class UserSerializer(serializers.ModelSerializer):
    """Read-only: who a user id is. Nothing personal beyond name, role and team (users
    are managed on the People page by sales ops and admins)."""

    name = serializers.SerializerMethodField()
    team = serializers.CharField(source="team.name", read_only=True, allow_null=True)

    class Meta:
        model = User
        fields = ["id", "username", "name", "role", "team", "is_active"]
        read_only_fields = fields

    def get_name(self, user) -> str:
        return str(user)
