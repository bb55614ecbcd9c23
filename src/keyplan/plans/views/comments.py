"""Comments on a plan and its parts, on the plan page: add, edit and remove one's own,
and the names offered when typing @. With HTMX the comments card is answered alone;
without, the browser goes back to the plan page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keyplan.plans.comment_threads import about_choices, plan_threads
from keyplan.plans.models import Comment
from keyplan.plans.services import comments as service
from keyplan.plans.views.common import is_htmx, refusals_to, visible_plan

MENTIONS_OFFERED = 8

refusals_in_comments = refusals_to("#comment-messages", "plan_detail")


def comments_context(request, plan, parts=None, **extra) -> dict:
    """What the comments card shows, for a plan the viewer was shown (so sees).
    ``parts``: the plan's parts the page has read already (see ``about_choices``)."""
    user = request.user
    may = bool(user.is_authenticated and user.is_active) and not plan.is_archived
    return {
        "plan": plan,
        "threads": plan_threads(plan),
        "about_choices": about_choices(plan, parts) if may else [],
        "may_comment": may,
        "user_id": user.pk,
        "request": request,
        **extra,
    }


def _answer(request, plan, **extra):
    if is_htmx(request):
        return render(request, "plans/_comments.html", comments_context(request, plan, **extra))
    for text in extra.get("errors", []):
        messages.error(request, text)
    return redirect(plan.get_absolute_url() + "#comments")


def _errors(exc: ValidationError) -> list[str]:
    return exc.messages


def _about(value: str) -> tuple[str, str | None]:
    subject, _, object_id = (value or "plan").partition("-")
    return subject, object_id or None


@require_GET
def comments_view(request, pk: int):
    """The comments card alone (HTMX), or the plan page at its comments."""
    plan = visible_plan(request, pk)
    return _answer(request, plan)


@require_POST
@refusals_in_comments
def comment_add_view(request, pk: int):
    plan = visible_plan(request, pk)
    subject, object_id = _about(request.POST.get("about", "plan"))
    text = request.POST.get("text", "")
    try:
        comment = service.comment_add(
            plan=plan, user=request.user, text=text, subject=subject, object_id=object_id
        )
    except ValidationError as exc:
        return _answer(
            request,
            plan,
            errors=_errors(exc),
            draft=text,
            draft_about=request.POST.get("about", "plan"),
        )
    return _answer(request, plan, added=comment.pk)


def _comment(plan, item: int) -> Comment:
    return get_object_or_404(Comment.objects.select_related("author"), pk=item, plan=plan)


@require_http_methods(["GET", "POST"])
@refusals_in_comments
def comment_edit_view(request, pk: int, item: int):
    plan = visible_plan(request, pk)
    comment = _comment(plan, item)
    if request.method == "GET":
        if comment.author_id != request.user.pk:
            raise PermissionDenied("Only a comment's author changes it.")
        return _answer(request, plan, editing=comment.pk, draft=comment.text)
    text = request.POST.get("text", "")
    try:
        service.comment_edit(
            comment=comment, user=request.user, text=text, version=request.POST.get("version")
        )
    except ValidationError as exc:
        return _answer(request, plan, errors=_errors(exc), editing=comment.pk, draft=text)
    return _answer(request, plan)


@require_POST
@refusals_in_comments
def comment_delete_view(request, pk: int, item: int):
    plan = visible_plan(request, pk)
    service.comment_delete(
        comment=_comment(plan, item), user=request.user, version=request.POST.get("version")
    )
    return _answer(request, plan)


@require_GET
def mentionable_view(request, pk: int):
    """The first people who can see the plan's account whose name starts with ``q``."""
    plan = visible_plan(request, pk)
    people = service.mentionable_people(plan, request.GET.get("q", ""))[:MENTIONS_OFFERED]
    return JsonResponse({"people": [{"username": p.username, "name": str(p)} for p in people]})
