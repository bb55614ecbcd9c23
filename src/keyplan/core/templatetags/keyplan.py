import functools

from django import template
from django.template.base import render_value_in_context
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def percent(value, digits=1):
    """0.1234 → "12.3%"."""
    try:
        return f"{float(value) * 100:.{int(digits)}f}%"
    except (TypeError, ValueError):
        return ""


@register.filter
def compact(value):
    """An amount the way people say it: 1.2M, 350k, 900."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return value
    sign = "-" if number < 0 else ""
    number = abs(number)
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if number >= limit:
            text = f"{number / limit:.2f}".rstrip("0").rstrip(".")
            if number / limit >= 100:
                text = f"{number / limit:.0f}"
            return f"{sign}{text}{suffix}"
    return f"{sign}{number:.0f}"


@register.filter
def ratio_of(value, base):
    """How many times ``base`` the value is: 1.25x."""
    try:
        return f"{float(value) / float(base):.2f}x"
    except (TypeError, ValueError, ZeroDivisionError):
        return "—"


@register.filter
def slot(kind, pk):
    """The id of the place an item's form opens in: slot-goal-12."""
    return f"slot-{kind}-{pk}"


@register.filter
def money(value):
    """An amount of money as every page writes it: "4,230,000 USD", cents only when
    there are some."""
    from keyplan.core import words

    return words.amount(value)


@register.filter
def estimate(value):
    """A computed or predicted amount, to the unit: "1,234,568 USD"."""
    from keyplan.core import words

    return words.estimate(value)


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    """The <tr> rows of a django-tables2 table's page, rendered in one pass.

    The same cells and attributes as looping over ``row.items`` in the template, at a
    fraction of the cost: a column's <td> attributes are worked out once per table when
    they are plain values (django-tables2 rebuilds them for every cell; only callables
    depend on the row), and each cell goes through the template engine's own
    ``render_value_in_context`` (localised and escaped as ``{{ cell }}`` is) without a
    template loop per cell. A list page of 50 rows × 10 columns spent most of its time
    there.
    """
    columns = list(table.columns)
    fixed = {}
    # A table that stacks on a phone (class "stack-on-phone") names each cell after the
    # first (the row's title) there, its column's header as a label (keyplan.css).
    stacks = "stack-on-phone" in str(table.attrs.get("class", "")).split()
    labels = {
        column.name: format_html(' data-label="{}"', column.header) if stacks and n else ""
        for n, column in enumerate(columns)
    }
    for column in columns:
        declared = {**table.attrs, **column.column.attrs}
        td = declared.get("td", declared.get("cell", {}))
        if not any(callable(value) for value in td.values()):
            fixed[column.name] = column.attrs["td"].as_html()
    rows = []
    for row in table.paginated_rows:
        cells = []
        for column, cell in row.items():
            attrs = fixed.get(column.name)
            if attrs is None:
                attrs = column.attrs["td"].as_html()
            cells.append(
                f"<td {attrs}{labels[column.name]}>{render_value_in_context(cell, context)}</td>"
            )
        rows.append("\n    <tr>" + "".join(cells) + "</tr>\n  ")
    return mark_safe("".join(rows))


# The plan page draws an edit link and a remove button on every row (about 130 on the
# demo's plan): as tags they cost a tenth of what an {% include %} each did, with the same
# HTML (the newlines the included files left included).
_REMOVE = (
    '<form class="inline" method="post" action="{0}" hx-post="{0}" hx-target="#plan-body" '
    'hx-swap="outerHTML" hx-confirm="{1}">{2}'
    '<button class="link-danger" type="submit">Remove</button></form>\n'
)


def _remove_question(kind: str, item, parts=None) -> str:
    """What the browser asks before a plan element is removed: what goes with it (an
    objective's strategies), what stays (their actions, without a strategy), and that it
    can be restored. ``parts`` are the strategies of an objective or the actions of a
    strategy, as the page already holds them (no query per row)."""
    from keyplan.audit.bin import RETENTION_DAYS
    from keyplan.core.words import plural

    question = f"Remove “{item}”"
    stays = ""
    if parts and kind == "objective":
        actions = sum(len(getattr(s, "action_list", ())) for s in parts)
        question += f" with its {plural(len(parts), 'strategy', 'strategies')}"
        if actions:
            stays = f" Their {plural(actions, 'action')} stay in the plan, without a strategy."
    elif parts and kind == "strategy":
        stays = (
            f" Its {plural(len(parts), 'action')} stay{'s' if len(parts) == 1 else ''} in the "
            "plan, without a strategy."
        )
    return f"{question}?{stays} You can restore it from the recycle bin for {RETENTION_DAYS} days."


_EDIT = (
    '\n<a class="button secondary small" href="{0}" hx-get="{0}" hx-target="#{1}" '
    'hx-swap="innerHTML" data-testid="{2}">{3}</a>\n'
)


@register.simple_tag(takes_context=True)
def remove_button(context, kind, item):
    """The "Remove" button of a plan element, for those who may edit the plan."""
    from django.template.defaulttags import CsrfTokenNode
    from django.urls import get_script_prefix, get_urlconf
    from django.utils.html import format_html

    if not context.get("can_edit"):
        return mark_safe("\n")
    delete = _element_addresses(get_script_prefix(), get_urlconf(), kind)[1]
    url = delete.format(plan=context["plan"].pk, row=item.pk)
    return format_html(_REMOVE, url, _remove_question(kind, item), CsrfTokenNode().render(context))


@register.simple_tag(takes_context=True)
def edit_link(context, url, slot, label, testid=""):
    """An edit/add link that opens the form in place with htmx and as a page without it."""
    from django.utils.html import format_html

    if not context.get("can_edit"):
        return mark_safe("\n\n")
    return format_html(_EDIT, url, slot, testid, label)


# Stand-ins for the plan and the row in an address reversed once, then filled per row.
_PLAN, _ROW = 918273645, 546372819


@functools.lru_cache(maxsize=64)
def _element_addresses(prefix: str, urlconf, kind: str) -> tuple[str, str]:
    """The edit and delete addresses of a plan element of ``kind`` with ``{plan}`` and
    ``{row}`` to fill: ``reverse`` costs as much as the rest of a row, and the plan page
    has about 130 rows. Keyed by the script prefix and URLconf the reversal used."""
    from django.urls import reverse

    return tuple(
        reverse(name, args=[_PLAN, kind, _ROW], urlconf=urlconf)
        .replace(str(_PLAN), "{plan}", 1)
        .replace(str(_ROW), "{row}", 1)
        for name in ("plan_element", "plan_element_delete")
    )


@register.simple_tag(takes_context=True)
def row_actions(context, kind, item, parts=None):
    """A plan element's "Edit" link and "Remove" button: the same HTML as
    ``{% url 'plan_element' plan.pk kind item.pk as u %}{% edit_link u kind|slot:item.pk
    "Edit" %}{% remove_button kind item %}``, with the addresses reversed once per kind."""
    from django.template.defaulttags import CsrfTokenNode
    from django.urls import get_script_prefix, get_urlconf
    from django.utils.html import format_html

    if not context.get("can_edit"):
        return mark_safe("\n\n\n")
    edit, delete = _element_addresses(get_script_prefix(), get_urlconf(), kind)
    plan, row = context["plan"].pk, item.pk
    return format_html(
        _EDIT, edit.format(plan=plan, row=row), f"slot-{kind}-{row}", "", "Edit"
    ) + format_html(
        _REMOVE,
        delete.format(plan=plan, row=row),
        _remove_question(kind, item, parts),
        CsrfTokenNode().render(context),
    )
