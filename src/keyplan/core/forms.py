"""What every form of keyplan's pages shares."""

from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH

from keyplan.core import words


def say_nothing_chosen(field) -> None:
    """A menu's "nothing chosen" reads "—", as empty values do on every page, instead of
    Django's "---------"."""
    dashes = BLANK_CHOICE_DASH[0][1]
    if getattr(field, "empty_label", None) == dashes:
        field.empty_label = words.EMPTY
    elif isinstance(field, forms.ChoiceField) and not hasattr(field, "queryset"):
        choices = list(field.choices)
        if choices and choices[0] == ("", dashes):
            field.choices = [("", words.EMPTY), *choices[1:]]
