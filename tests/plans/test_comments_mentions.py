"""Comments on a plan and its parts: a mention must be someone who can see the account
(else refused, saying why, and nothing saved); the person mentioned finds it in their
inbox; the plan's activity feed records it; only the author changes or removes it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from keyplan.accounts.models import Account
from keyplan.people.models import User
from keyplan.plans.models import Comment, Notification, PlanChange
from keyplan.plans.services.comments import (
    comment_add,
    comment_delete,
    comment_edit,
    mentionable_people,
)
from tests.factories import UserFactory
from tests.plans.conftest import add_idea


def _names(org):
    for person, (first, last) in {
        org.rep: ("Rita", "Rep"),
        org.manager: ("Max", "Manager"),
        org.other: ("Sam", "Smith"),
        org.ops: ("Olga", "Ops"),
    }.items():
        person.first_name, person.last_name = first, last
        person.save()


def test_a_mention_reaches_the_inbox_and_the_feed(org, plan):
    _names(org)
    idea = add_idea(plan, org.rep, "250000", title="Edge gateway")
    comment = comment_add(
        plan=plan,
        user=org.rep,
        subject="idea",
        object_id=idea.pk,
        text="@manager can you sponsor this? Product asked too.",
    )
    assert list(comment.mentions.all()) == [org.manager]
    note = Notification.objects.get(recipient=org.manager)
    assert note.text == (
        "Rita Rep mentioned you in a comment on the plan for Mine Group "
        "(the idea “Edge gateway”): “@Max Manager can you sponsor this? Product asked too.”"
    )
    assert note.url == f"/plans/{plan.pk}/#comment-{comment.pk}"
    entry = PlanChange.objects.filter(plan=plan, subject="comment").get()
    assert entry.action == "created" and entry.user == org.rep
    assert "can you sponsor this?" in entry.label and "Edge gateway" in entry.label


def test_mentioning_someone_who_cannot_see_the_account_is_refused_and_saves_nothing(org, plan):
    _names(org)
    with pytest.raises(ValidationError) as refused:
        comment_add(plan=plan, user=org.rep, text="@manager and @other, thoughts?")
    assert refused.value.message_dict["text"] == [
        "Sam Smith cannot see Mine Group, so cannot be mentioned."
    ]
    assert not Comment.objects.exists()
    assert not Notification.objects.filter(recipient=org.manager).exists()
    assert not PlanChange.objects.filter(subject="comment").exists()


def test_an_unknown_name_and_an_empty_comment_are_refused(org, plan):
    with pytest.raises(ValidationError, match="Nobody in keyplan is called @ghost"):
        comment_add(plan=plan, user=org.rep, text="Ask @ghost.")
    with pytest.raises(ValidationError, match="Write the comment first"):
        comment_add(plan=plan, user=org.rep, text="   ")
    assert not Comment.objects.exists()


def test_an_email_address_is_not_a_mention_and_a_full_stop_ends_one(org, plan):
    comment = comment_add(
        plan=plan, user=org.rep, text="Write to buyer@mine.example. Ask @manager."
    )
    assert list(comment.mentions.all()) == [org.manager]


def test_the_names_offered_are_exactly_those_who_see_the_account(org, plan):
    inactive = UserFactory(username="gone", role="executive", is_active=False)
    offered = set(mentionable_people(plan))
    seeing = {
        u
        for u in User.objects.filter(is_active=True)
        if Account.objects.visible_to(u).filter(pk=org.mine.pk).exists()
    }
    assert offered == seeing == {org.rep, org.manager, org.executive, org.ops}
    assert inactive not in offered
    assert [u.username for u in mentionable_people(plan, "@man")] == ["manager"]


def test_only_the_author_changes_or_removes_a_comment(org, plan):
    comment = comment_add(plan=plan, user=org.manager, text="Looks thin on finance.")
    with pytest.raises(PermissionDenied, match="only its author"):
        comment_edit(comment=comment, user=org.rep, text="Looks great.")
    with pytest.raises(PermissionDenied, match="only its author"):
        comment_delete(comment=comment, user=org.rep)
    comment.refresh_from_db()
    assert comment.text == "Looks thin on finance." and comment.edited_at is None

    edited = comment_edit(
        comment=comment, user=org.manager, text="Thin on finance: @rep add the CFO's goal."
    )
    assert edited.edited_at is not None and list(edited.mentions.all()) == [org.rep]
    assert Notification.objects.filter(recipient=org.rep, text__contains="CFO's goal").exists()
    comment_delete(comment=edited, user=org.manager)
    assert not Comment.objects.exists()
    assert list(
        PlanChange.objects.filter(subject="comment").order_by("pk").values_list("action", flat=True)
    ) == ["created", "updated", "deleted"]


def test_someone_who_cannot_see_the_plan_cannot_comment(org, plan):
    with pytest.raises(PermissionDenied, match="cannot see Mine Group"):
        comment_add(plan=plan, user=org.other, text="Hello")
    assert not Comment.objects.exists()


def test_the_plan_page_shows_comments_escaped_and_a_refusal_in_words(org, plan, client):
    _names(org)
    client.force_login(org.rep)
    url = f"/plans/{plan.pk}/comments/add/"
    hx = {"HTTP_HX_REQUEST": "true"}
    response = client.post(url, {"about": "plan", "text": "<b>Bold</b> @manager"}, **hx)
    assert response.status_code == 200
    body = response.content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; @Max Manager" in body and "<b>Bold</b>" not in body
    assert "Mentioned: Max Manager" in body

    response = client.post(url, {"about": "plan", "text": "@other see this"}, **hx)
    body = response.content.decode()
    assert "Sam Smith cannot see Mine Group, so cannot be mentioned." in body
    assert "@other see this</textarea>" in body  # the draft is kept to correct
    assert Comment.objects.count() == 1

    page = client.get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="comments"' in page and "&lt;b&gt;Bold&lt;/b&gt;" in page
    assert "added comment" in page  # the activity feed


def test_the_name_list_answers_only_for_a_plan_one_may_see(org, plan, client):
    client.force_login(org.rep)
    people = client.get(f"/plans/{plan.pk}/mentionable/?q=ma").json()["people"]
    assert [p["username"] for p in people] == ["manager"]
    client.force_login(org.other)
    assert client.get(f"/plans/{plan.pk}/mentionable/?q=").status_code == 404


def test_the_author_edits_and_removes_from_the_page(org, plan, client):
    comment = comment_add(plan=plan, user=org.rep, text="First thoughts")
    client.force_login(org.rep)
    hx = {"HTTP_HX_REQUEST": "true"}
    base = f"/plans/{plan.pk}/comments/{comment.pk}"
    form = client.get(f"{base}/edit/", **hx).content.decode()
    assert "First thoughts</textarea>" in form
    client.post(f"{base}/edit/", {"text": "Second thoughts", "version": "1"}, **hx)
    comment.refresh_from_db()
    assert comment.text == "Second thoughts" and comment.version == 2
    stale = client.post(f"{base}/delete/", {"version": "1"}, **hx)
    assert stale["HX-Retarget"] == "#comment-messages" and b'role="alert"' in stale.content
    assert Comment.objects.filter(pk=comment.pk).exists()
    body = client.post(f"{base}/delete/", {"version": "2"}, **hx).content.decode()
    assert not Comment.objects.exists() and "No comments yet." in body
