"""Deleting a goal the customer answered (or a link kept internal) goes to the recycle
bin with the customer's responses, and restoring it brings them back."""

from keyplan.audit.bin import restore
from keyplan.audit.models import DeletedRecord
from keyplan.mutual import services as mutual
from keyplan.mutual.models import GoalResponse
from keyplan.plans import services
from keyplan.plans.models import CustomerGoal
from tests.mutual.conftest import share


def test_a_deleted_goal_comes_back_with_the_customers_word(mutual_plan):
    p = mutual_plan
    item = share(p, hidden_goals=[p.goal])
    other = share(p)
    mutual.goal_respond(
        share=other,
        goal_id=p.goal.pk,
        visitor=mutual.Visitor(p.clara),
        confirm=True,
        comment="Yes, and the Lyon plant first",
    )
    services.element_delete(kind="goal", plan=p.plan, user=p.org.rep, instance=p.goal)
    assert not CustomerGoal.objects.filter(pk=p.goal.pk).exists()
    assert not GoalResponse.objects.exists()
    assert not item.hidden_goals.exists()

    restore(record=DeletedRecord.objects.latest("pk"), user=p.org.rep)
    assert GoalResponse.objects.get().comment == "Yes, and the Lyon plant first"
    assert list(item.hidden_goals.all()) == [p.goal]
