"""Forms of the quota pages. Amounts are typed as people write them ("4,230,000")."""

from decimal import Decimal

from django import forms

from keyplan.imports.values import parse_decimal
from keyplan.salesplan.choices import GoalBasis
from keyplan.salesplan.periods import QUARTERS


def parse_amount(text, *, label: str = "amount") -> Decimal:
    raw = str(text or "").strip()
    if not raw:
        raise forms.ValidationError(f"Give the {label}.")
    try:
        return parse_decimal(raw)
    except ValueError:
        raise forms.ValidationError(
            f"“{raw}” is not an amount: write it like 4,230,000 or 4230000."
        ) from None


class AmountField(forms.CharField):
    def clean(self, value):
        return parse_amount(super().clean(value), label=self.label.lower())


class QuotaForm(forms.Form):
    """Set one quota: whose (the company, a team or a rep), which period, how much."""

    holder = forms.ChoiceField(label="Whose quota")
    quarter = forms.TypedChoiceField(
        label="Period", coerce=int, choices=[(0, "The whole fiscal year")]
    )
    amount = AmountField(label="Quota")

    def __init__(self, *args, fiscal_year: int, **kwargs):
        from keyplan.people.choices import Role
        from keyplan.people.models import Team, User

        super().__init__(*args, **kwargs)
        self.fiscal_year = fiscal_year
        holders = [("company", "The company")]
        holders += [(f"team:{t.pk}", f"Team {t.name}") for t in Team.objects.order_by("name")]
        holders += [
            (f"rep:{u.pk}", str(u))
            for u in User.objects.filter(is_active=True, role__in=[Role.REP, Role.MANAGER])
            .only("username", "first_name", "last_name")
            .order_by("first_name", "last_name", "username")
        ]
        self.fields["holder"].choices = holders
        self.fields["quarter"].choices = [(0, f"FY {fiscal_year} (the whole year)")] + [
            (q, f"Q{q} FY {fiscal_year}") for q in QUARTERS
        ]


class DistributeForm(forms.Form):
    basis = forms.ChoiceField(
        label="Propose by",
        choices=[(b.value, b.label) for b in GoalBasis if b != GoalBasis.PLAN],
        initial=GoalBasis.LAST_PERIOD,
    )
    stretch = forms.DecimalField(
        label="Stretch factor",
        min_value=Decimal("0.5"),
        max_value=Decimal(3),
        decimal_places=2,
        initial=Decimal("1.10"),
        help_text="1.10: goals add up to 110% of the quota",
        error_messages={
            "required": "Give the stretch factor: 1.10 for goals adding up to 110% of the quota.",
            "invalid": (
                "Write the stretch factor as a number, like 1.10 for goals adding up to 110% "
                "of the quota."
            ),
            # Django fills these two with %-formatting: a percent sign is written %%.
            "max_value": "A stretch factor is at most 3 (goals adding up to 300%% of the quota).",
            "min_value": "A stretch factor is at least 0.5 (goals adding up to 50%% of the quota).",
            "max_decimal_places": "Write the stretch factor with at most two decimals (1.15).",
            "max_digits": "Write the stretch factor with at most two decimals (1.15).",
        },
    )
    weight_a = forms.DecimalField(label="Weight of an A account", min_value=0, initial=5)
    weight_b = forms.DecimalField(label="Weight of a B account", min_value=0, initial=3)
    weight_c = forms.DecimalField(label="Weight of a C account", min_value=0, initial=1)
