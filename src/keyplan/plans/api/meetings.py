"""``/api/v1/executive-meeting-requests/``: the executive meeting requests a person may
read (``plans.meetings.meetings_for``: asked of them, or on a plan they see), asked
(``POST``) and answered (``accept``, ``decline``), withdrawn (``withdraw``) and recorded
held (``held``) through ``plans.services.meetings``, the rules the pages follow. The
shape is the help requests': refusals are 400 / 403 / 409, an id out of reach is 404."""

import django_filters
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from keyplan.accounts.models import Contact
from keyplan.api.filters import StableOrderingFilter
from keyplan.api.params import id_or_404
from keyplan.core.filters import IdFilter
from keyplan.plans import services
from keyplan.plans.api import views as base
from keyplan.plans.api.fields import EnumField, VisibleIdField
from keyplan.plans.api.serializers import VERSION_HELP, _active_users, _name
from keyplan.plans.choices import MeetingStatus
from keyplan.plans.meetings import meetings_for
from keyplan.plans.models import AccountPlan, ExecutiveMeetingRequest, ExecutivePairing
from keyplan.plans.services.meetings import MAX_MINUTES, MAX_PURPOSE, MIN_MINUTES


class MeetingRequestSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="plan.account.name", read_only=True)
    executive_name = serializers.SerializerMethodField()
    asked_by_name = serializers.SerializerMethodField()
    contact_names = serializers.SerializerMethodField()
    status = EnumField(MeetingStatus, enum_name="MeetingStatusEnum", read_only=True)
    ends_at = serializers.DateTimeField(read_only=True, allow_null=True)
    briefing_url = serializers.SerializerMethodField(
        help_text="The briefing page (drawn from the plan; only for those who see the plan)"
    )

    class Meta:
        model = ExecutiveMeetingRequest
        fields = [
            "id",
            "plan",
            "account_name",
            "pairing",
            "executive",
            "executive_name",
            "contacts",
            "contact_names",
            "purpose",
            "wished_from",
            "wished_until",
            "asked_by",
            "asked_by_name",
            "asked_at",
            "status",
            "starts_at",
            "ends_at",
            "minutes",
            "place",
            "reason",
            "answered_at",
            "interaction",
            "briefing_url",
            "version",
        ]
        read_only_fields = fields

    def get_executive_name(self, obj) -> str:
        return str(obj.executive)

    def get_asked_by_name(self, obj) -> str | None:
        return _name(obj.asked_by)

    def get_contact_names(self, obj) -> list[str]:
        return [str(c) for c in obj.contacts.all()]

    def get_briefing_url(self, obj) -> str:
        from django.urls import reverse

        return reverse("meeting_briefing", args=[obj.pk])


class MeetingAskSerializer(serializers.Serializer):
    plan = VisibleIdField(
        model=AccountPlan, help_text="The plan (one you can see) the meeting serves"
    )
    pairing = serializers.PrimaryKeyRelatedField(
        queryset=ExecutivePairing.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="The plan's executive pairing it keeps: its executives are the default",
    )
    executive = serializers.PrimaryKeyRelatedField(
        queryset=_active_users(),
        required=False,
        allow_null=True,
        default=None,
        help_text="User id of our executive asked (default: the pairing's)",
    )
    contacts = VisibleIdField(
        model=Contact,
        many=True,
        required=False,
        help_text="Contact ids of the customer's people to meet (default: the pairing's)",
    )
    purpose = serializers.CharField(max_length=MAX_PURPOSE, help_text="Purpose and agenda")
    wished_from = serializers.DateField()
    wished_until = serializers.DateField(help_text="The last day wished")

    def validate_pairing(self, pairing):
        # A pairing of a plan one cannot see answers like one that does not exist.
        request = self.context["request"]
        if (
            pairing is not None
            and not ExecutivePairing.objects.visible_to(request.user).filter(pk=pairing.pk).exists()
        ):
            raise serializers.ValidationError(f'Invalid pk "{pairing.pk}" - object does not exist.')
        return pairing


class MeetingAcceptSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(help_text="When it starts (ahead of now)")
    minutes = serializers.IntegerField(
        min_value=MIN_MINUTES, max_value=MAX_MINUTES, required=False, default=60
    )
    place = serializers.CharField(
        max_length=255, required=False, allow_blank=True, default="", help_text="Place or link"
    )
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class MeetingDeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255, help_text="Why (the asker is told)")
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class MeetingWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class MeetingHeldSerializer(serializers.Serializer):
    notes = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="What was said"
    )
    version = serializers.IntegerField(required=False, min_value=1, help_text=VERSION_HELP)


class MeetingFilterSet(django_filters.FilterSet):
    plan = IdFilter(field_name="plan_id", label="Plan id")
    executive = IdFilter(field_name="executive_id", label="User id of the executive asked")
    status = django_filters.ChoiceFilter(choices=MeetingStatus.choices)

    class Meta:
        model = ExecutiveMeetingRequest
        fields = ["plan", "executive", "status"]


def _refused(who: str) -> dict:
    return base.refused_or_stale({200: MeetingRequestSerializer}) | {
        403: OpenApiResponse(description=f"Refused: {who}")
    }


class ExecutiveMeetingRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Requests for an executive meeting on a strategic account: the plan's owner, their
    manager or sales operations ask one of our executives; only that executive accepts
    (with the time, which records a planned executive interaction and sends the
    calendar invitation) or declines (with a reason); the asker withdraws."""

    serializer_class = MeetingRequestSerializer
    filterset_class = MeetingFilterSet
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    ordering_fields = ["asked_at", "wished_until", "starts_at", "status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return ExecutiveMeetingRequest.objects.none()
        return (
            meetings_for(self.request.user)
            .select_related("plan__account", "executive", "asked_by")
            .prefetch_related("contacts")
            .order_by("-asked_at", "-pk")
        )

    def _answer(self, meeting, code=status.HTTP_200_OK):
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(self.get_serializer(meeting).data, status=code)

    def _meeting(self, pk):
        return get_object_or_404(meetings_for(self.request.user), pk=id_or_404(pk))

    @extend_schema(
        request=MeetingAskSerializer,
        responses={
            201: MeetingRequestSerializer,
            403: OpenApiResponse(
                description="Refused: only the plan's owner, their manager and sales operations ask"
            ),
        },
    )
    def create(self, request):
        form = MeetingAskSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        data["contacts"] = list(data.get("contacts") or [])
        with base.refusals():
            meeting = services.meeting_request(user=request.user, **data)
        return self._answer(meeting, status.HTTP_201_CREATED)

    @extend_schema(request=MeetingAcceptSerializer, responses=_refused("only the executive asked"))
    @action(detail=True, methods=["post"], filter_backends=[])
    def accept(self, request, pk=None):
        """Accept with the time (again: move it)."""
        meeting = self._meeting(pk)
        form = MeetingAcceptSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with base.refusals():
            meeting = services.meeting_accept(
                meeting=meeting, user=request.user, **form.validated_data
            )
        return self._answer(meeting)

    @extend_schema(request=MeetingDeclineSerializer, responses=_refused("only the executive asked"))
    @action(detail=True, methods=["post"], filter_backends=[])
    def decline(self, request, pk=None):
        """Decline with a reason (an accepted meeting not yet held is cancelled)."""
        meeting = self._meeting(pk)
        form = MeetingDeclineSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with base.refusals():
            meeting = services.meeting_decline(
                meeting=meeting, user=request.user, **form.validated_data
            )
        return self._answer(meeting)

    @extend_schema(
        request=MeetingWithdrawSerializer,
        responses=_refused("only the asker, the plan's owner, their manager and sales operations"),
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def withdraw(self, request, pk=None):
        """Withdraw the request (an accepted meeting not yet held is cancelled)."""
        meeting = self._meeting(pk)
        form = MeetingWithdrawSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with base.refusals():
            meeting = services.meeting_withdraw(
                meeting=meeting, user=request.user, **form.validated_data
            )
        return self._answer(meeting)

    @extend_schema(
        request=MeetingHeldSerializer,
        responses=_refused("only the executive, the asker, the plan's owner and their manager"),
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def held(self, request, pk=None):
        """Record an accepted meeting whose time has come as held, with what was said."""
        meeting = self._meeting(pk)
        form = MeetingHeldSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with base.refusals():
            meeting = services.meeting_held(
                meeting=meeting, user=request.user, **form.validated_data
            )
        return self._answer(meeting)


__all__ = ["ExecutiveMeetingRequestViewSet"]
