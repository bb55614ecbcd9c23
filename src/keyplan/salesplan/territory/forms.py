"""Forms of the territory plan page. They only read what was typed into Python values;
whether a value is allowed (months inside the fiscal year, at most five strategies, the
rep's own accounts …) is the services' to say, and their refusal comes back beside the
field it names. Field names are the services' data keys, so it lands there."""

from django import forms

from keyplan.plans.choices import ActionStatus
from keyplan.salesplan.choices import (
    ActivityCadence,
    Channel,
    Leverage,
    ObjectiveKind,
    Segment,
)
from keyplan.salesplan.forms import parse_amount

TIERS = [("A", "A accounts"), ("B", "B accounts"), ("C", "C accounts")]

# The dimension of a revenue objective, grouped as the objective kinds read it.
DIMENSIONS = [
    ("", "—"),
    ("Tier", [(value, label) for value, label in TIERS]),
    ("Channel", list(Channel.choices)),
    ("Customer base or prospects", list(Segment.choices)),
]


def people():
    """Everyone who may be named on a plan: active people, by name."""
    from keyplan.people.models import User

    return User.objects.filter(is_active=True).order_by("first_name", "last_name", "username")


def people_choices() -> list[tuple[int, str]]:
    """Everyone who may be named, as choices: read once per page, shared by its forms."""
    return [("", "—")] + [(u.pk, str(u)) for u in people()]


class QuickSelect(forms.SelectMultiple):
    """A select of many plain options (people, accounts) written out in one pass: Django
    renders each option through a template, and the plan page has a person list in
    every strategy's two forms — with 300 people most of the page's time went there."""

    def __init__(self, attrs=None, *, multiple=False):
        super().__init__(attrs)
        self.allow_multiple_selected = multiple

    def value_from_datadict(self, data, files, name):
        if self.allow_multiple_selected:
            return super().value_from_datadict(data, files, name)
        return data.get(name)

    def format_value(self, value):
        if value is None:
            return []
        values = value if isinstance(value, (list, tuple)) else [value]
        return [str(v) for v in values if v is not None]

    def render(self, name, value, attrs=None, renderer=None):
        from django.forms.utils import flatatt
        from django.utils.html import conditional_escape, format_html
        from django.utils.safestring import mark_safe

        chosen = set(self.format_value(value))
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        if self.allow_multiple_selected:
            final["multiple"] = True
        options = "".join(
            f'<option value="{conditional_escape(v)}"'
            f"{' selected' if str(v) in chosen else ''}>{conditional_escape(label)}</option>"
            for v, label in self.choices
        )
        return format_html("<select{}>{}</select>", flatatt(final), mark_safe(options))


class PersonField(forms.TypedChoiceField):
    """A person by full name (the services take the id and say when it is not one)."""

    widget = QuickSelect

    def __init__(self, **kwargs):
        super().__init__(coerce=int, **kwargs)


class MonthField(forms.DateField):
    """A month as ``<input type="month">`` sends it ("2027-03"), or a date in it; the
    first day of the month."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"invalid": "Give a month like 2027-03.", "required": "Give the month."},
        )
        super().__init__(input_formats=self.input_formats, **kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class HoursField(forms.DecimalField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "Give the hours as a number, like 12 or 7.5.",
                "required": "Give the hours.",
            },
        )
        super().__init__(max_digits=6, decimal_places=1, localize=True, **kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")


class TargetField(forms.CharField):
    """A target as people write it: "1,200,000" or "12"."""

    def clean(self, value):
        text = super().clean(value)
        if not text:
            raise forms.ValidationError("Give the target.")
        return parse_amount(text, label="target")


class VersionedForm(forms.Form):
    """Every save names the version it was made from, so a save from a stale page is
    refused instead of overwriting someone else's change."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)


class FactsForm(VersionedForm):
    note = forms.CharField(
        label="What the facts say to you",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Which accounts carry the number, where the opportunity is, what you will "
        "not chase.",
    )

    def __init__(self, *args, accounts=(), **kwargs):
        """``accounts``: the A accounts without an account plan, (id, name) — each gets a
        box for the reason it has none."""
        super().__init__(*args, **kwargs)
        for pk, name in accounts:
            self.fields[f"reason_{pk}"] = forms.CharField(
                label=f"Why {name} has no account plan",
                required=False,
                max_length=255,
            )

    def reasons(self) -> dict[int, str]:
        return {
            int(name.removeprefix("reason_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("reason_")
        }


class StrategyForm(VersionedForm):
    title = forms.CharField(
        max_length=200, error_messages={"required": "Give the strategy a title."}
    )
    description = forms.CharField(
        label="How", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    leverages = forms.MultipleChoiceField(
        label="What it leverages",
        choices=Leverage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_tiers = forms.MultipleChoiceField(
        label="Tiers it aims at",
        choices=TIERS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_account_ids = forms.TypedMultipleChoiceField(
        label="Accounts it aims at",
        coerce=int,
        required=False,
        help_text="Your A and B accounts (and any chosen before); hold Ctrl or ⌘ to choose "
        "several. C accounts are reached through the tier.",
        widget=QuickSelect(attrs={"size": 8}, multiple=True),
    )
    first_month = MonthField(label="First month")
    last_month = MonthField(label="Last month")

    def __init__(self, *args, account_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_account_ids"].choices = list(account_choices)
        # As tall as its list, up to eight rows (then it scrolls).
        self.fields["target_account_ids"].widget.attrs["size"] = min(
            8, max(3, len(account_choices))
        )


class ResourceForm(VersionedForm):
    person = PersonField(label="Who", error_messages={"required": "Name the person."})
    hours_per_month = HoursField(label="Hours per month")
    role = forms.CharField(label="What they do", max_length=120, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people if people is not None else people_choices()


class ActivityForm(VersionedForm):
    strategy = forms.TypedChoiceField(label="Strategy", coerce=int)
    title = forms.CharField(
        label="What", max_length=255, error_messages={"required": "Say what is to be done."}
    )
    owner = PersonField(label="Owner", error_messages={"required": "Name the owner."})
    due_date = forms.DateField(
        label="Due",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": "Give a date like 2027-03-15.",
            "required": "Give the due date.",
        },
    )
    effort_hours = HoursField(label="Effort (hours)")
    status = forms.ChoiceField(choices=ActionStatus.choices, initial=ActionStatus.PLANNED)

    def __init__(self, *args, strategies=(), people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = people if people is not None else people_choices()
        self.fields["strategy"].choices = [(s.pk, s.title) for s in strategies]


class ObjectiveForm(VersionedForm):
    kind = forms.ChoiceField(label="What it measures", choices=ObjectiveKind.choices)
    dimension = forms.ChoiceField(
        label="Tier, channel or segment",
        choices=DIMENSIONS,
        required=False,
        help_text="For revenue from a tier, through a channel, or from the customer base or "
        "prospects.",
    )
    product_line = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label="Product line",
        help_text="For revenue from a product line.",
    )
    title = forms.CharField(
        max_length=255,
        required=False,
        help_text="Left empty, it is named from what it measures (“Revenue from A accounts”).",
    )
    target = TargetField(
        label="Target",
        help_text="An amount for revenue objectives; a count for new logos and activities.",
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    cadence = forms.ChoiceField(
        label="Counted",
        choices=ActivityCadence.choices,
        initial=ActivityCadence.PER_PERIOD,
        required=False,
        help_text="For activity objectives.",
    )
    strategies = forms.TypedMultipleChoiceField(
        label="Strategies it serves",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the service says it: every objective serves a strategy
    )

    def __init__(self, *args, strategies=(), **kwargs):
        from keyplan.catalog.models import ProductLine

        super().__init__(*args, **kwargs)
        self.fields["product_line"].queryset = ProductLine.objects.order_by("name")
        self.fields["product_line"].empty_label = "—"
        self.fields["strategies"].choices = [(s.pk, s.title) for s in strategies]


class GoalForm(VersionedForm):
    text = forms.CharField(
        label="Goal",
        max_length=255,
        error_messages={"required": "Write the goal."},
        help_text="Qualitative: “become the partner of record in the north”.",
    )


class VersionTakeForm(forms.Form):
    note = forms.CharField(label="Note", max_length=255, required=False)
