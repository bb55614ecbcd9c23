"""Notifications read in words: people by full name, dates in the installation's format,
the account by name. (Their text was already built this way; this keeps it so.)"""

import datetime

from keyplan.plans import services


def test_a_help_request_notification_names_people_and_the_date(org, plan, client):
    org.rep.first_name, org.rep.last_name = "Amir", "Becker"
    org.rep.save()
    services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        what="Pricing sign-off",
        asked_of=org.manager,
        needed_by=datetime.date(2027, 2, 1),
    )
    client.force_login(org.manager)
    page = client.get("/notifications/").content.decode()
    assert (
        "Amir Becker asks for your help with Mine Group: Pricing sign-off (by 2027-02-01)." in page
    )
