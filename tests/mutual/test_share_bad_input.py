"""The owner's choices that do not fit are refused with a sentence on the form, and no
link is created."""

import datetime

from django.utils import timezone

from keyplan.mutual.models import PlanShare
from tests.factories import ContactFactory


def _post(client, p, **data):
    form = {
        "recipients": [p.clara.pk],
        "expires_on": (timezone.localdate() + datetime.timedelta(days=20)).isoformat(),
        "show_goals": "on",
    }
    form.update(data)
    return client.post(f"/plans/{p.plan.pk}/shares/new/", form)


def test_choices_that_do_not_fit_are_refused(mutual_plan, client):
    p = mutual_plan
    client.force_login(p.org.rep)
    today = timezone.localdate()

    past = _post(client, p, expires_on=(today - datetime.timedelta(days=1)).isoformat())
    assert past.status_code == 400 and "has passed: choose a later day." in past.content.decode()
    far = _post(client, p, expires_on=(today + datetime.timedelta(days=400)).isoformat())
    assert "A link opens for at most a year" in far.content.decode()
    nobody = _post(client, p, recipients=[])
    assert (
        "Name at least one of the customer&#x27;s people to share with." in nobody.content.decode()
    )
    nothing = _post(client, p, show_goals="")
    assert "Choose at least one part of the plan to share." in nothing.content.decode()
    silent = ContactFactory(account=p.org.mine, first_name="Sam", last_name="Silent", email="")
    no_email = _post(client, p, recipients=[silent.pk], requires_code="on")
    assert "Sam Silent has no email address for the one-time code" in no_email.content.decode()
    elsewhere = ContactFactory(account=p.org.theirs, first_name="Otto", last_name="Other")
    outside = _post(client, p, recipients=[elsewhere.pk])
    assert outside.status_code == 400  # not offered on the form: refused as a bad choice
    bad_day = _post(client, p, expires_on="next week")
    assert "Enter a day, e.g. 2027-03-31." in bad_day.content.decode()

    assert not PlanShare.objects.exists()
