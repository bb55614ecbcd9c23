"""The feed holds only what its person may see now: an action they still own on an
account that moved to someone else, or a meeting at an account they no longer see,
leaves their calendar."""

from keyplan.accounts.models import Account
from keyplan.rhythm.feed import site_host
from tests.factories import InteractionFactory
from tests.rhythm.conftest import add_action, days
from tests.rhythm.feed_helpers import events


def test_an_account_moved_away_takes_its_items_along(org, plan):
    host = site_host()
    action = add_action(plan, org.rep, "Call the CFO", days(10))
    meeting = InteractionFactory(
        account=org.mine, kind="meeting", date=days(30), subject="Dinner", is_executive=True
    )
    meeting.participants.add(org.rep)
    assert set(events(org.rep)) == {
        f"action-{action.pk}@{host}",
        f"executive-meeting-{meeting.pk}@{host}",
    }
    Account.objects.filter(pk=org.mine.pk).update(owner=org.other)
    assert events(org.rep) == {}
    # The account's new owner sees the plan but owns none of it: still nothing of the
    # rep's in their calendar.
    assert events(org.other) == {}
