"""The plan page's tables of actions (``{% action_rows %}``, written in Python) say what
the template said before, character for character: overdue or not, carried forward or
not, with or without an owner, contacts and hours, text that must be escaped, for those
who may edit the plan (edit link, remove button) and those who may not."""

import datetime
from decimal import Decimal

import pytest
from django.template import engines
from django.test import RequestFactory

from keyplan.plans import services
from keyplan.plans.models import Action

# plans/_actions.html as it was, before its rows were written by the tag.
BEFORE = """{% load keyplan %}
{% if actions %}<table class="compact"><thead><tr><th>Action</th><th>Owner</th><th>Due</th><th class="num">Hours</th><th>Status</th><th>With</th><th></th></tr></thead><tbody>
{% for a in actions %}<tr data-testid="action"{% if a.overdue_days %} class="overdue"{% endif %}><td>{{ a.title }}{% if a.carried_from_id %} <span class="badge">carried</span>{% endif %}</td><td>{{ a.owner }}</td><td>{{ a.due_date|date:"Y-m-d" }}{% if a.overdue_days %} <span class="badge lost">{{ a.overdue_days }} day{{ a.overdue_days|pluralize }} overdue</span>{% endif %}</td><td class="num">{{ a.effort_hours|floatformat:"-1" }}</td>
  <td><span class="badge {{ a.status }}">{{ a.get_status_display }}</span></td><td>{% for c in a.contacts.all %}{{ c }}{% if not forloop.last %}, {% endif %}{% endfor %}</td>
  <td class="row-actions">{% row_actions "action" a %}</td></tr>
  <tr class="slot-row"><td colspan="7"><div class="slot" id="slot-action-{{ a.pk }}"></div></td></tr>
{% endfor %}</tbody></table>{% endif %}
"""  # noqa: E501


@pytest.mark.parametrize("can_edit", [True, False])
def test_action_rows_read_as_the_template_wrote_them(org, plan, can_edit):
    user = org.rep
    made = [
        services.element_save(
            kind="action",
            plan=plan,
            user=user,
            title='Workshop <with> "IT" & finance',
            owner=user,
            due_date=datetime.date(2027, 3, 1),
            effort_hours=Decimal("2.5"),
            contacts=[org.cfo, org.cio],
        ),
        services.element_save(
            kind="action",
            plan=plan,
            user=user,
            title="Call back",
            owner=user,
            due_date=datetime.date(2027, 1, 5),
            effort_hours=Decimal("12"),
        ),
        services.element_save(
            kind="action",
            plan=plan,
            user=user,
            title="Send the summary",
            owner=user,
            due_date=datetime.date(2027, 2, 1),
            effort_hours=Decimal("0.5"),
            contacts=[org.cio],
        ),
    ]
    Action.objects.filter(pk=made[1].pk).update(carried_from=made[0], status="scheduled")
    # Hours of another plan's precision, and an owner named with what must be escaped.
    Action.objects.filter(pk=made[2].pk).update(effort_hours=Decimal("1234.5"), status="done")
    user.first_name = "Ann <b>"
    user.save()
    actions = list(
        Action.objects.filter(plan=plan).select_related("owner").prefetch_related("contacts")
    )
    for a, days in zip(actions, (0, 1, 1234), strict=True):
        a.overdue_days = days  # as the plan page works them out
    request = RequestFactory().get(plan.get_absolute_url())
    request.user = user
    engine = engines["django"]
    after = engine.get_template("plans/_actions.html")
    context = {"actions": actions, "plan": plan, "can_edit": can_edit}
    new = after.render(context, request)
    old = engine.from_string(BEFORE).render(context, request)
    token = new.split('name="csrfmiddlewaretoken" value="')[1:] if can_edit else []
    # The same masked CSRF value in both (one per request): compare the rest.
    for value in token:
        new = new.replace(value.split('"')[0], "X")
    for value in old.split('name="csrfmiddlewaretoken" value="')[1:]:
        old = old.replace(value.split('"')[0], "X")
    assert new == old
    assert "1,234 days overdue" in new or "1234 days overdue" in new
    assert "1 day overdue" in new and "&lt;with&gt; &quot;IT&quot; &amp; finance" in new
    assert ("Remove" in new) is can_edit
