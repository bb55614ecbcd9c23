"""Forms of the review pages: they parse what was typed (a day, a time, a number); the
rules (permission, the quarter, overlaps, a plan's action rules) are the services'."""

import datetime

from django import forms

from keyplan.reviews.choices import Outcome


class SittingForm(forms.Form):
    day = forms.DateField(label="Day", widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label="Starts at", widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(label="Minutes", min_value=1, max_value=10_000)
    location = forms.CharField(label="Where", max_length=200, required=False)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def starts_at(self) -> datetime.datetime:
        from django.utils import timezone

        return timezone.make_aware(
            datetime.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"])
        )


class OutcomeForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect)
    decisions = forms.CharField(
        label="Decisions",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActionForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="What", max_length=255)
    owner = forms.TypedChoiceField(label="Who", coerce=int)
    due_date = forms.DateField(label="By", widget=forms.DateInput(attrs={"type": "date"}))
    effort_hours = forms.DecimalField(
        label="Effort (hours)", max_digits=6, decimal_places=1, initial=2
    )
    strategy = forms.TypedChoiceField(
        label="For the strategy", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, people=(), strategies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(p.pk, str(p)) for p in people]
        self.fields["strategy"].choices = [("", "none (a loose action)")] + [
            (s.pk, f"{s.objective.title}: {s}") for s in strategies
        ]
