"""``{% action_rows actions %}``: the rows of a table of actions on the plan page, written
in Python. The execution section has a row per action (27 on the demo's plan), each a
dozen variables, filters and an inner loop: as a template it was a tenth of the page's
rendering. The HTML is the same as the template wrote it (``plans/_actions.html`` before
this tag; tests/plans/test_action_rows.py renders both): every value goes through
``render_value_in_context`` and the same filters, as ``{{ }}`` does."""

from django import template
from django.template.base import render_value_in_context
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe

from keyplan.core.fast_filters import date
from keyplan.core.templatetags.keyplan import row_actions

register = template.Library()


@register.simple_tag(takes_context=True)
def action_rows(context, actions):
    """Each action's row and the slot row its form opens in, as ``plans/_actions.html``
    wrote them in its loop."""

    def value(v) -> str:
        return render_value_in_context(v, context)

    out = []
    for a in actions:
        overdue = a.overdue_days
        due = value(date(a.due_date, "Y-m-d"))
        if overdue:
            plural = "" if overdue == 1 else "s"
            due += f' <span class="badge lost">{value(overdue)} day{plural} overdue</span>'
        carried = ' <span class="badge">carried</span>' if a.carried_from_id else ""
        contacts = ", ".join(value(c) for c in a.contacts.all())
        marked = ' class="overdue"' if overdue else ""
        out.append(
            f'<tr data-testid="action"{marked}>'
            f"<td>{value(a.title)}{carried}</td><td>{value(a.owner)}</td><td>{due}</td>"
            f'<td class="num">{value(floatformat(a.effort_hours, "-1"))}</td>\n'
            f'  <td><span class="badge {value(a.status)}">{value(a.get_status_display())}'
            f"</span></td><td>{contacts}</td>\n"
            f'  <td class="row-actions">{row_actions(context, "action", a)}</td></tr>\n'
            '  <tr class="slot-row"><td colspan="7"><div class="slot" '
            f'id="slot-action-{value(a.pk)}"></div></td></tr>\n'
        )
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped as {{ }} does)


# sales/_overdue.html, which the plan page included once per idea's and open opportunity
# (up to 30 + one per idea): an include costs as much as the rest of the row.
_OVERDUE = mark_safe(  # noqa: S308 (constant HTML)
    ' <span class="badge overdue" title="Still open after its expected close date" '
    'data-testid="overdue">⚠ Overdue</span>'
)


@register.simple_tag
def overdue_badge(opportunity):
    """``{% include "sales/_overdue.html" with opportunity=… %}``, as a tag: "⚠ Overdue"
    when the opportunity is still open after its expected close date."""
    return _OVERDUE if opportunity.is_overdue else ""
