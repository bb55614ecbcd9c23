"""In the calendar of someone on a plan's team, a teammate's action says whose it is
("Executive meeting with Sam Becker (Maple Falcon Software, Karin Gomez's action)"),
so it is not taken for one's own; one's own actions read as before."""

from keyplan.rhythm.feed import site_host
from tests.rhythm.conftest import add_action, days
from tests.rhythm.feed_helpers import events


def test_a_teammates_action_names_its_owner(org, plan):
    org.rep.first_name, org.rep.last_name = "Amir", "Bianchi"
    org.rep.save()
    org.manager.first_name, org.manager.last_name = "Chloé", "Öztürk"
    org.manager.save()
    plan.team.add(org.manager)
    reps = add_action(plan, org.rep, "Call the CFO", days(10))
    managers = add_action(plan, org.rep, "Send the pilot offer", days(12), owner=org.manager)
    host = site_host()

    in_managers = events(org.manager)
    assert str(in_managers[f"action-{reps.pk}@{host}"]["SUMMARY"]) == (
        "Call the CFO (Mine Group, Amir Bianchi's action)"
    )
    assert str(in_managers[f"action-{managers.pk}@{host}"]["SUMMARY"]) == (
        "Send the pilot offer (Mine Group)"
    )
    assert (
        str(events(org.rep)[f"action-{reps.pk}@{host}"]["SUMMARY"]) == "Call the CFO (Mine Group)"
    )
