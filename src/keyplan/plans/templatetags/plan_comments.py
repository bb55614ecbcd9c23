"""``{% plan_comments %}``: the comments card on the plan page, read by itself so the
plan page's own context (views.common.plan_context) need not know about comments."""

from django import template

register = template.Library()


@register.inclusion_tag("plans/_comments.html", takes_context=True)
def plan_comments(context):
    from keyplan.plans.views.comments import comments_context

    # The plan page's parts, read once for the page, name the "about" menu's choices.
    return comments_context(context["request"], context["plan"], context.get("comment_parts"))


@register.filter
def with_names(comment) -> str:
    """A comment's text with its @mentions written as the people's names (not their
    usernames), as the exports and the notifications write it."""
    from keyplan.plans.services.comments import with_names as written

    return written(comment.text, comment.mentions.all())
