"""A comment mentions people by their username (what @ types), but a sales manager reads
names: the plan page and the mention's notification write "@Max Manager", as the
exports already did, never "@manager"."""

from keyplan.plans.models import Notification
from keyplan.plans.services.comments import comment_add


def _name(person, first, last):
    person.first_name, person.last_name = first, last
    person.save()


def test_the_plan_page_and_the_notification_show_the_name_not_the_username(org, plan, client):
    _name(org.rep, "Rita", "Rep")
    _name(org.manager, "Max", "Manager")
    comment_add(plan=plan, user=org.rep, text="@manager, the roll-out team is committed.")

    note = Notification.objects.get(recipient=org.manager)
    assert "“@Max Manager, the roll-out team is committed.”" in note.text
    assert "@manager" not in note.text

    client.force_login(org.rep)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "@Max Manager, the roll-out team is committed." in page
    assert "@manager," not in page


def test_an_unknown_handle_and_an_email_address_stay_as_written(org, plan, client):
    _name(org.manager, "Max", "Manager")
    comment_add(plan=plan, user=org.rep, text="@manager write to cfo@mine.example today.")
    client.force_login(org.rep)
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "@Max Manager write to cfo@mine.example today." in page
