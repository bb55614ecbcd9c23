import zoneinfo

from django import forms
from django.conf import settings

from keyplan.rhythm.choices import Delivery, EmailKind


def _zone_choices():
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z or z == "UTC")
    return [("", f"The installation's ({settings.TIME_ZONE})")] + [
        (z, z.replace("_", " ")) for z in zones
    ]


class PersonalSettingsForm(forms.Form):
    """A person's time zone and, per kind of email, how they want it."""

    time_zone = forms.ChoiceField(
        label="Your time zone",
        required=False,
        help_text="Your daily digest is sent in your morning, and your calendar is in this zone.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = _zone_choices()
        for kind in EmailKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Delivery.choices, widget=forms.RadioSelect
            )
