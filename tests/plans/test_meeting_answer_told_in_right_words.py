"""When the executive accepts a meeting the manager asked for on a rep's plan, the rep
(the plan's owner) hears of it too, but it was not their request: "Eve Ekman accepted
your request" told the rep something untrue. The asker reads "your request"; the owner
reads whose request it was."""

from keyplan.plans import services
from keyplan.plans.models import Notification
from tests.plans.test_executive_meeting_requests import ask, at, days, paired  # noqa: F401


def test_the_owner_reads_whose_request_was_accepted(paired):  # noqa: F811
    paired.manager.first_name, paired.manager.last_name = "Max", "Manager"
    paired.manager.save()
    meeting = ask(paired, user=paired.manager)
    services.meeting_accept(
        meeting=meeting, user=paired.executive, starts_at=at(days(10), 10), place="Their HQ"
    )
    to_asker = Notification.objects.get(recipient=paired.manager, text__contains="accepted")
    to_owner = Notification.objects.get(recipient=paired.rep, text__contains="accepted")
    assert to_asker.text.startswith("Eve Ekman accepted your request to meet at Mine Group: ")
    assert to_owner.text.startswith(
        "Eve Ekman accepted Max Manager's request to meet at Mine Group: "
    )
    assert to_owner.text.endswith(", Their HQ.")
    assert "your request" not in to_owner.text
