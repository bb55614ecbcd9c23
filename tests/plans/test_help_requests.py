"""Requests for help: the person asked is told; an answered request stays as answered."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from keyplan.plans import services
from keyplan.plans.models import HelpRequest, Notification


def test_an_answered_request_cannot_be_rewritten(org, plan):
    request = services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        what="Demo please",
        asked_of=org.rep2,
        needed_by=datetime.date(2027, 2, 1),
    )
    assert Notification.objects.filter(recipient=org.rep2, text__contains="Demo please").exists()
    services.help_respond(request=request, user=org.rep2, commit=True)
    with pytest.raises(ValidationError, match="stays as answered"):
        services.element_save(
            kind="help",
            plan=plan,
            user=org.rep,
            instance=request,
            what="Fly to Tokyo",
            asked_of=org.executive,
        )
    request.refresh_from_db()
    assert (request.what, request.asked_of, request.status) == (
        "Demo please",
        org.rep2,
        "committed",
    )


def test_asking_someone_else_tells_them(org, plan):
    request = services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        what="Legal review",
        asked_of=org.rep2,
        needed_by=datetime.date(2027, 2, 1),
    )
    services.element_save(
        kind="help", plan=plan, user=org.rep, instance=request, asked_of=org.manager
    )
    assert Notification.objects.filter(
        recipient=org.manager, text__contains="Legal review"
    ).exists()
    services.element_save(
        kind="help", plan=plan, user=org.rep, instance=request, what="Legal review of the MSA"
    )
    assert Notification.objects.filter(recipient=org.manager).count() == 1
    assert HelpRequest.objects.get(pk=request.pk).status == "requested"
