from django import template

from keyplan.mutual import selectors
from keyplan.mutual.choices import PART_LABELS
from keyplan.mutual.links import share_path

register = template.Library()


@register.inclusion_tag("mutual/_panel.html", takes_context=True)
def shared_panel(context, plan, can_edit):
    """The plan page's "Shared with the customer" panel (the links, their state, revoke,
    the access log)."""
    request = context.get("request")
    panel = selectors.owner_panel(plan)
    for share in panel.shares:
        share.parts_words = ", ".join(
            label.lower() for name, label in PART_LABELS.items() if getattr(share, name)
        )
        # The link is a key: shown only to those who may share the plan themselves.
        if can_edit and share.is_active:
            path = share_path(share)
            share.url = request.build_absolute_uri(path) if request is not None else path
    return {
        "plan": plan,
        "can_edit": can_edit,
        "panel": panel,
        "csrf_token": context.get("csrf_token"),
    }
