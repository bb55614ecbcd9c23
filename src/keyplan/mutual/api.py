"""``/api/v1/plans/{id}/shares/``: the owner lists and creates the plan's links shared
with the customer; ``…/shares/{share_id}/revoke/`` revokes one. Reading follows the
plan's visibility (404 otherwise); creating and revoking follow who may edit the plan
(403 with the reason), through the same services as the plan page."""

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from keyplan.accounts.models import Contact
from keyplan.api.params import id_or_404
from keyplan.core.filters import MAX_ID
from keyplan.mutual import services
from keyplan.mutual.links import share_path
from keyplan.mutual.models import PlanShare
from keyplan.plans.models import AccountPlan, CustomerGoal, Idea, Milestone
from keyplan.plans.permissions import can_edit_plan, edit_refusal
from keyplan.plans.services.common import plan_subtree_ids


def _ids(**kwargs):
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), **kwargs
    )


class ShareSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(
        help_text="The link to send, while it is active (only for those who may edit the plan)"
    )
    recipient_names = serializers.SerializerMethodField()
    created_by_name = serializers.SerializerMethodField()

    class Meta:
        model = PlanShare
        fields = ["id", "note", "state", "url", "expires_at", "requires_code"]
        fields += ["show_goals", "show_proposal", "show_actions", "show_milestones"]
        fields += ["recipients", "recipient_names", "hidden_goals", "hidden_ideas"]
        fields += ["hidden_actions", "hidden_milestones", "created_by_name", "created_at"]
        fields += ["revoked_at"]
        read_only_fields = fields

    def get_state(self, share) -> str:
        return share.state()

    def get_url(self, share) -> str | None:
        if not share.is_active or not self.context.get("can_edit"):
            return None
        request = self.context.get("request")
        path = share_path(share)
        return request.build_absolute_uri(path) if request is not None else path

    def get_recipient_names(self, share) -> list[str]:
        return [services.contact_name(c) for c in share.recipients.all()]

    def get_created_by_name(self, share) -> str | None:
        return str(share.created_by) if share.created_by_id else None


class ShareCreateSerializer(serializers.Serializer):
    recipients = _ids(help_text="Ids of the customer's contacts it is shared with", min_length=1)
    expires_on = serializers.DateField(
        required=False, allow_null=True, help_text="Last day it opens (default: in 30 days)"
    )
    requires_code = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    show_goals = serializers.BooleanField(required=False, default=True)
    show_proposal = serializers.BooleanField(required=False, default=True)
    show_actions = serializers.BooleanField(required=False, default=True)
    show_milestones = serializers.BooleanField(required=False, default=True)
    hidden_goals = _ids(required=False, default=list)
    hidden_ideas = _ids(required=False, default=list)
    hidden_actions = _ids(required=False, default=list)
    hidden_milestones = _ids(required=False, default=list)

    def resolved(self, plan) -> dict:
        """The ids as records of this plan (contacts of its accounts); an id that is not
        one is refused on its field."""
        from keyplan.plans.models import Action

        data = dict(self.validated_data)
        sources = {
            "recipients": Contact.objects.filter(account_id__in=plan_subtree_ids(plan)),
            "hidden_goals": CustomerGoal.objects.filter(plan=plan),
            "hidden_ideas": Idea.objects.filter(plan=plan),
            "hidden_actions": Action.objects.filter(plan=plan),
            "hidden_milestones": Milestone.objects.filter(plan=plan),
        }
        errors = {}
        for name, queryset in sources.items():
            wanted = set(data.get(name) or [])
            found = list(queryset.filter(pk__in=wanted))
            missing = sorted(wanted - {o.pk for o in found})
            if missing:
                what = (
                    "contact of the plan’s accounts"
                    if name == "recipients"
                    else "item of this plan"
                )
                errors[name] = [f"No {what} with id {', '.join(map(str, missing))}."]
            data[name] = found
        if errors:
            raise serializers.ValidationError(errors)
        return data


def _plan(request, id) -> AccountPlan:
    plan = (
        AccountPlan.objects.visible_to(request.user)
        .select_related("account", "owner")
        .filter(pk=id_or_404(id))
        .first()
    )
    if plan is None:
        raise NotFound("No such plan.")
    return plan


class PlanSharesView(APIView):
    @extend_schema(
        operation_id="plans_shares_list",
        summary="The plan's links shared with the customer",
        responses={200: ShareSerializer(many=True), 404: None},
    )
    def get(self, request, id: int):
        plan = _plan(request, id)
        shares = (
            PlanShare.objects.filter(plan=plan)
            .select_related("created_by")
            .prefetch_related(
                "recipients", "hidden_goals", "hidden_ideas", "hidden_actions", "hidden_milestones"
            )
            .order_by("-created_at", "-pk")
        )
        context = {"request": request, "can_edit": can_edit_plan(request.user, plan)}
        return Response(ShareSerializer(shares, many=True, context=context).data)

    @extend_schema(
        operation_id="plans_shares_create",
        summary="Share the plan with the customer",
        description=(
            "A signed link to the chosen parts of the plan for the named customer contacts, "
            "open until the end of `expires_on`. 403 for someone who may not edit the plan."
        ),
        request=ShareCreateSerializer,
        responses={201: ShareSerializer, 400: None, 403: None, 404: None},
    )
    def post(self, request, id: int):
        plan = _plan(request, id)
        reason = edit_refusal(request.user, plan)
        if reason:  # before the body is read: a reader learns nothing more from a 400
            raise PermissionDenied(reason)
        incoming = ShareCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        with transaction.atomic():
            share = services.share_create(plan=plan, user=request.user, **incoming.resolved(plan))
        return Response(
            ShareSerializer(share, context={"request": request, "can_edit": True}).data,
            status=status.HTTP_201_CREATED,
        )


class PlanShareRevokeView(APIView):
    @extend_schema(
        operation_id="plans_shares_revoke",
        summary="Revoke a shared link",
        description="The link answers 404 from now on. 400 when it was already revoked.",
        request=None,
        responses={
            200: ShareSerializer,
            400: OpenApiResponse(description="Already revoked"),
            403: None,
            404: None,
        },
    )
    def post(self, request, id: int, share_id: int):
        plan = _plan(request, id)
        share = PlanShare.objects.filter(plan=plan, pk=id_or_404(share_id)).first()
        if share is None:
            raise NotFound("No such link.")
        share = services.share_revoke(share=share, user=request.user)
        return Response(ShareSerializer(share, context={"request": request, "can_edit": True}).data)
