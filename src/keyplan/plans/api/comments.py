"""Comments under a plan (``/api/v1/plans/{id}/comments/``) and the new-offering
roll-up (``/api/v1/new-offering-requests/``). The plan is looked up through
``visible_to`` (404 otherwise); writes go through plans.services.comments."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from keyplan.api.versions import IF_MATCH, VERSION_QUERY, sent_version
from keyplan.plans.api.views import CONFLICT, refusals
from keyplan.plans.comment_threads import plan_threads
from keyplan.plans.models import AccountPlan, Comment
from keyplan.plans.new_offerings import new_offering_rollup
from keyplan.plans.services import comments as service

COMMENT_REFUSED = OpenApiResponse(
    description="Refused: the plan is archived, or (changes, deletes) the comment is someone else's"
)


class CommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()
    mentions = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "plan", "subject", "object_id", "author", "author_name", "text"]
        fields += ["mentions", "created_at", "edited_at", "version"]
        read_only_fields = fields

    def get_author_name(self, obj) -> str | None:
        return str(obj.author) if obj.author_id else None

    def get_mentions(self, obj) -> list[str]:
        return [p.username for p in obj.mentions.all()]


class CommentWriteSerializer(serializers.Serializer):
    text = serializers.CharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text="Plain text; @username mentions someone who can see the account",
    )
    subject = serializers.CharField(
        required=False,
        default="plan",
        help_text="“plan”, or the kind of part commented on: goal, idea, investment, "
        "objective, strategy, action, milestone, help …",
    )
    object_id = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="The part's id"
    )


class CommentEditSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)
    version = serializers.IntegerField(required=False, min_value=1)


def _plan(request, id: int) -> AccountPlan:
    return get_object_or_404(
        AccountPlan.objects.visible_to(request.user).select_related("account"), pk=id
    )


def _comment_answer(comment_id: int, **kwargs) -> Response:
    comment = (
        Comment.objects.select_related("author").prefetch_related("mentions").get(pk=comment_id)
    )
    return Response(CommentSerializer(comment).data, **kwargs)


class PlanCommentsView(APIView):
    @extend_schema(
        operation_id="plans_comments_list",
        summary="The plan's comments",
        description="Every comment on the plan and its parts, a thread per part (the plan's "
        "own first), oldest first within a thread.",
        responses={200: CommentSerializer(many=True), 404: None},
    )
    def get(self, request, id: int):
        plan = _plan(request, id)
        comments = [c for t in plan_threads(plan) for c in t.comments]
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(
        operation_id="plans_comments_create",
        summary="Comment on the plan or one of its parts",
        description="Mentioning (@username) someone who cannot see the account is refused "
        "(400, saying so) and nothing is saved; the people mentioned get an inbox "
        "notification; the plan's activity feed records the comment.",
        request=CommentWriteSerializer,
        responses={201: CommentSerializer, 400: None, 403: COMMENT_REFUSED, 404: None},
    )
    def post(self, request, id: int):
        plan = _plan(request, id)
        form = CommentWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with refusals():
            comment = service.comment_add(plan=plan, user=request.user, **form.validated_data)
        return _comment_answer(comment.pk, status=status.HTTP_201_CREATED)


class PlanCommentView(APIView):
    def _comment(self, request, id: int, comment_id: int) -> Comment:
        plan = _plan(request, id)
        return get_object_or_404(Comment, pk=comment_id, plan=plan)

    @extend_schema(
        operation_id="plans_comments_retrieve",
        summary="One comment",
        responses={200: CommentSerializer, 404: None},
    )
    def get(self, request, id: int, comment_id: int):
        comment = self._comment(request, id, comment_id)
        response = _comment_answer(comment.pk)
        response["ETag"] = f'"{comment.version}"'
        return response

    @extend_schema(
        operation_id="plans_comments_partial_update",
        summary="Change your comment",
        parameters=[IF_MATCH],
        request=CommentEditSerializer,
        responses={200: CommentSerializer, 400: None, 403: COMMENT_REFUSED, 409: CONFLICT},
    )
    def patch(self, request, id: int, comment_id: int):
        comment = self._comment(request, id, comment_id)
        version = sent_version(request)
        form = CommentEditSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        with refusals():
            service.comment_edit(
                comment=comment,
                user=request.user,
                text=form.validated_data["text"],
                version=version,
            )
        return _comment_answer(comment.pk)

    @extend_schema(
        operation_id="plans_comments_destroy",
        summary="Remove your comment",
        parameters=[IF_MATCH, VERSION_QUERY],
        responses={204: None, 403: COMMENT_REFUSED, 409: CONFLICT},
    )
    def delete(self, request, id: int, comment_id: int):
        comment = self._comment(request, id, comment_id)
        version = sent_version(request)
        with refusals():
            service.comment_delete(comment=comment, user=request.user, version=version)
        return Response(status=status.HTTP_204_NO_CONTENT)


NEED = inline_serializer(
    "NewOfferingNeed",
    {
        "need": serializers.CharField(),
        "value": serializers.DecimalField(max_digits=18, decimal_places=2),
        "accounts": inline_serializer(
            "NewOfferingAccount",
            {
                "id": serializers.IntegerField(),
                "name": serializers.CharField(),
                "value": serializers.DecimalField(max_digits=18, decimal_places=2),
                "ideas": serializers.IntegerField(),
            },
            many=True,
        ),
        "plans": inline_serializer(
            "NewOfferingPlan",
            {
                "id": serializers.IntegerField(),
                "account": serializers.CharField(),
                "period": serializers.CharField(),
                "url": serializers.CharField(),
            },
            many=True,
        ),
        "ideas": inline_serializer(
            "NewOfferingIdea",
            {
                "id": serializers.IntegerField(),
                "plan": serializers.IntegerField(),
                "title": serializers.CharField(),
                "annual_value": serializers.DecimalField(max_digits=16, decimal_places=2),
                "stage": serializers.CharField(),
                "need": serializers.CharField(),
            },
            many=True,
        ),
    },
    many=True,
)


def _money(value) -> str:
    return f"{value:.2f}"


class NewOfferingRequestsView(APIView):
    @extend_schema(
        operation_id="new_offering_requests",
        summary="New-offering requests rolled up",
        description="Open ideas of draft and active plans flagged “needs something we do "
        "not sell yet”, grouped by the kind of need (same label, ignoring case and "
        "spacing), largest total value first: the accounts asking with the sum of their "
        "ideas' annual values, and the plans asking. Only accounts the user may see.",
        responses={200: NEED},
    )
    def get(self, request):
        return Response(
            [
                {
                    "need": n.label,
                    "value": _money(n.value),
                    "accounts": [
                        {
                            "id": a.account.pk,
                            "name": a.account.name,
                            "value": _money(a.value),
                            "ideas": a.ideas,
                        }
                        for a in n.accounts
                    ],
                    "plans": [
                        {
                            "id": p.pk,
                            "account": p.account.name,
                            "period": p.period_label,
                            "url": p.get_absolute_url(),
                        }
                        for p in n.plans
                    ],
                    "ideas": [
                        {
                            "id": i.pk,
                            "plan": i.plan_id,
                            "title": i.title,
                            "annual_value": _money(i.annual_value),
                            "stage": i.stage,
                            "need": i.new_offering_need,
                        }
                        for i in n.ideas
                    ],
                }
                for n in new_offering_rollup(request.user)
            ]
        )
