"""What was recorded about a plan, in words: the activity feed's before → after, the
version comparison and the "someone else saved this" messages.

Changes and versions store plain values (a choice's code, an amount as text, a date as
ISO text, people and other records by name). They are put into words when shown, from
the model field each value belongs to: a choice by its label, an amount with thousands
separators and the currency, a date in the installation's format, a list of names as a
sentence, "—" for nothing. Because nothing of this is stored, changes recorded before
the words improved read just as well."""

import difflib
import re
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from keyplan.core import words

# An objective's numbers are in its own metric (contacts, events, or revenue), so they
# are shown as numbers, not as money.
MEASURED = frozenset({"objective.baseline", "objective.target", "objective.manual_value"})
# Recorded values that are no field of the model they are about.
EXTRA = {
    "pipeline": ("pipeline", words.amount),
    "coverage": ("pipeline coverage", words.ratio),
    "comment": ("comment", str),
}
# Text longer than this (or a text field's) is compared word by word.
LONG_TEXT = 80


@cache
def subjects() -> dict[str, tuple[str, type]]:
    """What a recorded change is about: its subject → (words, model)."""
    from keyplan.accounts.models import Contact
    from keyplan.plans.models import AccountPlan, Comment, ExecutiveMeetingRequest, PlanVersion
    from keyplan.plans.services.elements import KINDS
    from keyplan.sales.models import Opportunity

    out = {name: (kind.label, kind.model) for name, kind in KINDS.items()}
    out |= {
        "plan": ("plan", AccountPlan),
        "contact": ("contact", Contact),
        "opportunity link": ("opportunity in the pipeline", Opportunity),
        "version": ("version", PlanVersion),
        # keyplan.mutual: the plan shared with the customer, and what they did there.
        "share": ("link for the customer", None),
        "customer action": ("action of the customer's", None),
        "comment": ("comment", Comment),
        "meeting": ("executive meeting request", ExecutiveMeetingRequest),
    }
    return out


# Things done to the plan as a whole that change none of its fields, as sentences: the
# feed says "confirmed the plan is current", not "changed plan “confirmed current”".
PLAN_EVENTS = {
    "confirmed current": "confirmed the plan is current",
    "reviewed with the team": "reviewed the plan with the team",
}


# What the customer's people do on the plan shared with them (keyplan.mutual).
CUSTOMER_EVENTS = {
    "customer confirmation": "confirmed their goal “{}”",
    "customer comment": "commented on their goal “{}”",
    "customer action": "added an action of their own: “{}”",
    "customer action done": "marked their action “{}” done",
}


def event_words(change) -> str:
    """What was done, as the feed says it after the person's name (without the rows)."""
    if change.subject in CUSTOMER_EVENTS:
        return CUSTOMER_EVENTS[change.subject].format(change.label)
    if change.subject == "plan" and not change.changes and change.label in PLAN_EVENTS:
        return PLAN_EVENTS[change.label]
    label = f"“{change.label}”"
    return f"{change.get_action_display()} {subject_words(change.subject)} {label}"


def subject_words(subject: str) -> str:
    return subjects().get(subject, (subject, None))[0]


def field_of(model, name: str):
    """The concrete model field ``name`` of ``model`` (None for anything else)."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) or field.many_to_many else None


def label_of(model, name: str) -> str:
    """A field's name as its form labels it: target_value → their target (amount)."""
    field = field_of(model, name)
    if field is not None and not field.auto_created:
        return str(field.verbose_name)
    if name in EXTRA:
        return EXTRA[name][0]
    return name.replace("_", " ")


def _is_money(field) -> bool:
    return (
        isinstance(field, models.DecimalField)
        and field.decimal_places == 2
        and f"{field.model._meta.model_name}.{field.name}" not in MEASURED
    )


def in_words(field, value, name: str = "") -> str:
    """One recorded value as a person reads it."""
    if value is None or value == "" or value == []:
        return words.EMPTY
    if isinstance(value, list | tuple):
        return words.names(value)
    if field is None:
        if name in EXTRA:
            return EXTRA[name][1](value)
        if isinstance(value, bool):
            return words.yes_no(value)
        if isinstance(value, int | float):
            return words.number(value)
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return words.yes_no(value)
    if isinstance(field, models.DateTimeField):
        return words.moment(value)
    if isinstance(field, models.DateField):
        return words.day(value)
    percent = "%" in str(field.verbose_name)
    if isinstance(field, models.DecimalField):
        if _is_money(field):
            return words.amount(value)
        return words.percent(value) if percent else words.number(value)
    if isinstance(field, models.IntegerField) and not isinstance(value, bool):
        return words.percent(value) if percent else words.number(value)
    return str(value)


def _is_long(field, before, after) -> bool:
    if isinstance(field, models.TextField):
        return True
    return any(isinstance(v, str) and len(v) > LONG_TEXT for v in (before, after))


_WORD = re.compile(r"\S+\s*")


def word_diff(before: str, after: str, *, context: int | None = None) -> SafeString:
    """The two texts as one, words taken out in <del>, words put in in <ins>. Each word is
    escaped before it is marked, so what the user typed is never read as HTML. With
    ``context``, unchanged stretches keep only that many words beside each change ("…"
    for the rest): what changed in a long text, in a line."""
    return _marked(*_word_opcodes(before, after), context=context)


def _word_opcodes(before: str, after: str):
    """The two texts' words and how to turn one into the other (difflib's opcodes)."""
    old, new = _WORD.findall(before or ""), _WORD.findall(after or "")
    matcher = difflib.SequenceMatcher(
        a=[w.rstrip() for w in old], b=[w.rstrip() for w in new], autojunk=False
    )
    return old, new, matcher.get_opcodes()


def _marked(old, new, opcodes, *, context: int | None = None) -> SafeString:
    out = []
    for op, a1, a2, b1, b2 in opcodes:
        if op == "equal":
            same = new[b1:b2]
            if context is not None:
                head = same[:context] if b1 > 0 else []
                tail = same[-context:] if b2 < len(new) else []
                if len(same) > len(head) + len(tail) + 1:
                    same = [*head, "… ", *tail]
            out.append(escape("".join(same)))
            continue
        taken, put = "".join(old[a1:a2]), "".join(new[b1:b2])
        if taken:
            out.append(f"<del>{escape(taken.rstrip())}</del>")
        if put:
            out.append(f"<ins>{escape(put.rstrip())}</ins>")
        # the space after the changed words stays outside the marks
        out.append(escape((put or taken)[len((put or taken).rstrip()) :]))
    return mark_safe("".join(out).strip())  # noqa: S308 (every piece of text above is escaped)


# Words kept beside each change when the activity feed shows what changed in long text.
FEED_CONTEXT = 5


@dataclass(frozen=True)
class Row:
    """One changed field: its label, and its value before and after, in words; ``diff``
    (long text changed, not emptied or filled in) marks the words taken out and put in."""

    label: str
    before: str
    after: str
    diff: SafeString | None = None
    brief: SafeString | None = None  # the diff with only a few words beside each change


def rows(model, changes: dict) -> list[Row]:
    """{field: [before, after]} as rows in words."""
    out = []
    for name, pair in changes.items():
        before, after = (list(pair) + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        field = field_of(model, name)
        diff = brief = None
        if (
            isinstance(before, str)
            and isinstance(after, str)
            and before.strip()
            and after.strip()
            and _is_long(field, before, after)
        ):
            words = _word_opcodes(before, after)  # compared once, shown two ways
            diff = _marked(*words)
            brief = _marked(*words, context=FEED_CONTEXT)
        out.append(
            Row(
                label_of(model, name),
                in_words(field, before, name),
                in_words(field, after, name),
                diff,
                brief,
            )
        )
    return out


def change_rows(change) -> list[Row]:
    """A recorded PlanChange's fields in words."""
    return rows(subjects().get(change.subject, (None, None))[1], change.changes or {})


def change_summary(change, limit: int = 6) -> str:
    """A recorded change in one line: "revenue goal: “1,000,000 USD” → “1,200,000 USD”"."""
    return "; ".join(f"{r.label}: “{r.before}” → “{r.after}”" for r in change_rows(change)[:limit])
