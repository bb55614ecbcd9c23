"""Forms of the executive meeting requests: they parse what was typed (people, days, a
time); the rules (who may ask or answer, the window, the time ahead) are the services'
(``plans.services.meetings``)."""

import datetime

from django import forms
from django.utils import timezone

from keyplan.accounts.models import Contact
from keyplan.core.forms import say_nothing_chosen
from keyplan.plans.forms import _contacts
from keyplan.plans.services.meetings import MAX_MINUTES, MAX_PURPOSE, MIN_MINUTES, executives_to_ask

DATE = forms.DateInput(attrs={"type": "date"})


def with_title(person) -> str:
    """ "Carl Chief (CEO)": a person of ours or the customer's, with their title when
    it is known."""
    name = getattr(person, "name", None) or str(person)
    return f"{name} ({person.title})" if person.title else name


class MeetingAskForm(forms.Form):
    executive = forms.ModelChoiceField(
        queryset=None,
        label="Our executive to ask",
        help_text="One of the company's executives (each sees the account and its briefing)",
    )
    contacts = forms.ModelMultipleChoiceField(
        queryset=None,
        label="Whom of the customer's to meet",
        widget=forms.CheckboxSelectMultiple,
    )
    purpose = forms.CharField(
        label="Purpose and agenda",
        max_length=MAX_PURPOSE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What the meeting is for and what we want from it; the briefing adds "
        "the plan (goals, relationship map warnings, open ideas).",
    )
    wished_from = forms.DateField(label="Wished from", widget=DATE)
    wished_until = forms.DateField(label="Wished by", widget=DATE)
    pairing = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan, user=None, pairing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["executive"].queryset = executives_to_ask(user=user, pairing=pairing)
        self.fields["executive"].label_from_instance = with_title
        # The picker's contacts (at most PICK_LIMIT), as a queryset a choice can be checked in.
        self.fields["contacts"].queryset = Contact.objects.filter(
            pk__in=[c.pk for c in _contacts(plan)]
        ).order_by("last_name", "first_name")
        # Whom to meet is chosen by their role at the customer: every name with its title.
        self.fields["contacts"].label_from_instance = with_title
        say_nothing_chosen(self.fields["executive"])
        if not self.is_bound:
            today = timezone.localdate()
            self.initial.setdefault("wished_from", today + datetime.timedelta(days=7))
            self.initial.setdefault("wished_until", today + datetime.timedelta(days=42))


class MeetingAcceptForm(forms.Form):
    day = forms.DateField(label="Day", widget=DATE)
    time = forms.TimeField(label="Starts at", widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(
        label="Minutes", min_value=MIN_MINUTES, max_value=MAX_MINUTES, initial=60
    )
    place = forms.CharField(label="Place or link", max_length=255, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def starts_at(self) -> datetime.datetime:
        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"])
        )
