"""Comments under a plan's API: listed, added with mentions (a mention of someone who
cannot see the account is a 400 saying so, nothing saved), changed and removed by their
author only, with the version loaded (428 without)."""

from keyplan.plans.models import Comment, Notification


def test_comment_with_a_mention_then_change_and_remove_it(org, plan, as_user):
    client = as_user(org.rep)
    url = f"/api/v1/plans/{plan.pk}/comments/"
    added = client.post(url, {"text": "@manager please review"}, format="json")
    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["subject"], body["author"], body["mentions"]) == ("plan", org.rep.pk, ["manager"])
    assert Notification.objects.filter(recipient=org.manager).count() == 1
    assert [c["text"] for c in client.get(url).json()] == ["@manager please review"]

    one = f"{url}{body['id']}/"
    bare = client.generic("PATCH", one, '{"text": "x"}', content_type="application/json")
    assert bare.status_code == 428
    changed = client.patch(one, {"text": "Reviewed, thanks"}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["edited_at"] is not None and changed.json()["mentions"] == []

    other = as_user(org.manager)
    refused = other.delete(one)
    assert refused.status_code == 403
    assert "only its author" in refused.json()["detail"]
    assert as_user(org.rep).delete(one).status_code == 204
    assert not Comment.objects.exists()


def test_a_mention_of_someone_who_cannot_see_is_a_400(org, plan, as_user):
    client = as_user(org.rep)
    answer = client.post(f"/api/v1/plans/{plan.pk}/comments/", {"text": "cc @other"}, format="json")
    assert answer.status_code == 400
    assert answer.json()["text"] == [f"{org.other} cannot see Mine Group, so cannot be mentioned."]
    assert not Comment.objects.exists()


def test_a_comment_on_a_part_and_an_invisible_plan(org, plan, as_user):
    from tests.plans.conftest import add_idea

    idea = add_idea(plan, org.rep, "1000", title="Lab")
    client = as_user(org.rep)
    answer = client.post(
        f"/api/v1/plans/{plan.pk}/comments/",
        {"text": "Sized?", "subject": "idea", "object_id": idea.pk},
        format="json",
    )
    assert answer.status_code == 201 and answer.json()["object_id"] == idea.pk
    wrong = client.post(
        f"/api/v1/plans/{plan.pk}/comments/",
        {"text": "Sized?", "subject": "idea", "object_id": idea.pk + 999},
        format="json",
    )
    assert wrong.status_code == 400 and "no idea with id" in wrong.json()["object_id"][0]
    assert as_user(org.other).get(f"/api/v1/plans/{plan.pk}/comments/").status_code == 404
