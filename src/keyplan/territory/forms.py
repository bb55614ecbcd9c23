from django import forms

from keyplan.accounts.models import Account
from keyplan.people.models import Team, User
from keyplan.territory.analysis.params import ParameterError, Scope, Window


class AnalysisForm(forms.Form):
    """Window, scope and Pareto options, as on the command line."""

    start = forms.CharField(required=False, label="From", help_text="YYYY-MM or YYYY-MM-DD")
    end = forms.CharField(required=False, label="To")
    scope = forms.ChoiceField(required=False)
    level = forms.ChoiceField(
        choices=[("account", "Each account"), ("entity", "Legal entities (hierarchies rolled up)")],
        required=False,
    )
    threshold = forms.IntegerField(
        min_value=1, max_value=100, required=False, initial=80, label="Threshold %"
    )
    basis = forms.ChoiceField(
        choices=[
            ("all", "All accounts in scope"),
            ("with_revenue", "Only accounts with revenue in the window"),
        ],
        required=False,
        label="Accounts counted",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("territory", "Whole territory")]
        choices += [
            (f"team:{t}", f"Team {t}")
            for t in Team.objects.order_by("name").values_list("name", flat=True)
        ]
        # People by the name colleagues know them by; the value stays the username, as
        # on the command line (--scope rep:USERNAME).
        choices += [
            (f"rep:{u.username}", f"Rep {u}")
            for u in User.objects.filter(role="rep", is_active=True)
            .only("username", "first_name", "last_name")
            .order_by("first_name", "last_name", "username")
        ]
        industries = (
            Account.objects.visible_to(user)
            .exclude(industry="")
            .order_by("industry")
            .values_list("industry", flat=True)
            .distinct()[:200]
        )
        choices += [(f"industry:{i}", f"Industry {i}") for i in industries]
        self.fields["scope"].choices = choices

    def params(self) -> dict:
        data = self.cleaned_data
        try:
            window = Window.parse(data.get("start") or None, data.get("end") or None)
        except ParameterError as exc:
            message = str(exc)  # worded for the command line's --from and --to
            for flag, label in (("--from ", "From "), ("--to ", "To ")):
                if message.startswith(flag):
                    message = label + message[len(flag) :]
            raise forms.ValidationError(message) from None
        return {
            "window": window,
            "scope": Scope.parse(data.get("scope") or "territory"),
            "level": data.get("level") or "account",
            "threshold": (data.get("threshold") or 80) / 100,
            "basis": data.get("basis") or "all",
        }


class CriterionForm(forms.Form):
    """One ICP criterion as a sales-ops user writes it."""

    kind = forms.ChoiceField(choices=[])
    values = forms.CharField(
        required=False,
        help_text="A list separated by commas (Energy, Technology), or a range: 1000-50000 "
        "(either end may be empty). Nothing for “has an open opportunity”.",
    )
    weight = forms.IntegerField(min_value=1, max_value=100, initial=20)
    label = forms.CharField(
        required=False, max_length=120, help_text="How it reads on screen (optional)"
    )
    keep_unknown = forms.BooleanField(
        required=False,
        label="Keep values as typed even if no account has them",
        help_text="An industry, country or region close to one the accounts have is "
        "refused as a likely typo unless this is ticked",
    )

    def __init__(self, *args, user, **kwargs):
        from keyplan.territory.choices import Criterion

        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].choices = Criterion.choices
        self.suggested_values = ""  # the values with every typo corrected, to offer
        self.unmatched: list = []  # values no account has and nothing is close to

    def clean(self):
        data = super().clean()
        if "kind" in data and "weight" in data:
            data["criterion"] = self._criterion(data)
            self._check_values(data)
        return data

    def _check_values(self, data) -> None:
        """Refuse a value no account has when an account has one close to it ("Helthcare"
        → "Healthcare"), unless kept on purpose; remember values nothing is close to, so
        the page can say the criterion matches no account yet."""
        from keyplan.territory.analysis.icp_values import column_words, unknown_values

        criterion = data["criterion"]
        kind, values = criterion["kind"], criterion["values"]
        unknown = unknown_values(kind=kind, values=values, user=self.user)
        if data.get("keep_unknown"):
            return
        typos = [u for u in unknown if u.suggestion]
        self.unmatched = [u.typed for u in unknown if not u.suggestion]
        if not typos:
            return
        fixes = {u.typed: u.suggestion for u in typos}
        self.suggested_values = ", ".join(fixes.get(v, v) for v in values)
        words = column_words(kind, len(typos))
        asked = ", ".join(f"“{u.typed}” (did you mean “{u.suggestion}”?)" for u in typos)
        raise forms.ValidationError(
            {
                "values": f"No account has the {words} {asked}. Correct it, or tick “Keep "
                "values as typed” to save it as it is."
            }
        )

    def _criterion(self, data) -> dict:
        from keyplan.territory.analysis.tiers import validate_criterion
        from keyplan.territory.choices import Criterion

        raw = (data.get("values") or "").strip()
        kind = data["kind"]
        if kind in (Criterion.EMPLOYEES_BETWEEN, Criterion.REVENUE_BETWEEN):
            low, sep, high = raw.replace("–", "-").partition("-")
            if not sep:
                raise forms.ValidationError({"values": "Give a range such as 1000-50000."})
            try:
                values = [int(low) if low.strip() else None, int(high) if high.strip() else None]
            except ValueError:
                raise forms.ValidationError({"values": "The bounds are whole numbers."}) from None
        else:
            values = [v.strip() for v in raw.split(",") if v.strip()]
        try:
            return validate_criterion(
                {
                    "kind": kind,
                    "values": values,
                    "weight": data["weight"],
                    "label": data.get("label", ""),
                }
            )
        except ParameterError as exc:
            raise forms.ValidationError({"values": str(exc)}) from None


class TierSettingsForm(forms.Form):
    method = forms.ChoiceField(choices=[])
    a_threshold = forms.IntegerField(min_value=0, max_value=100, label="Score for A")
    b_threshold = forms.IntegerField(min_value=0, max_value=100, label="Score for B")
    a_share = forms.IntegerField(min_value=0, max_value=100, label="% of accounts in A")
    b_share = forms.IntegerField(min_value=0, max_value=100, label="% of accounts in B")

    def __init__(self, *args, **kwargs):
        from keyplan.territory.choices import TierMethod

        super().__init__(*args, **kwargs)
        self.fields["method"].choices = TierMethod.choices

    def clean(self):
        data = super().clean()
        if data.get("b_threshold", 0) > data.get("a_threshold", 100):
            raise forms.ValidationError("The score for B cannot be above the score for A.")
        if data.get("a_share", 0) + data.get("b_share", 0) > 100:
            raise forms.ValidationError("A and B together cannot hold more than 100%.")
        return data


class WhiteSpaceForm(AnalysisForm):
    """Window and scope, plus the heatmap's own filters."""

    by = forms.ChoiceField(
        choices=[("product", "Product"), ("line", "Product line")], required=False
    )
    tier = forms.ChoiceField(
        choices=[("", "Any tier"), ("A", "A"), ("B", "B"), ("C", "C")], required=False
    )
    owner = forms.ChoiceField(required=False)
    industry = forms.ChoiceField(required=False)
    product_line = forms.ChoiceField(required=False, label="Product line")
    horizon = forms.TypedChoiceField(
        choices=[(3, "3 months"), (6, "6 months"), (12, "12 months"), (24, "24 months")],
        coerce=int,
        required=False,
        empty_value=12,
        label="Buying within",
    )
    rank = forms.ChoiceField(
        choices=[("value", "Expected value"), ("probability", "Probability")],
        required=False,
        label="Best cells by",
    )

    def __init__(self, *args, user, **kwargs):
        from keyplan.catalog.models import ProductLine

        super().__init__(*args, user=user, **kwargs)
        for name in ("level", "threshold", "basis"):  # Pareto's own options
            self.fields.pop(name)
        self.fields["owner"].choices = [("", "Any owner")] + [
            (u.username, str(u))
            for u in User.objects.filter(is_active=True, role__in=["rep", "manager"])
            .only("username", "first_name", "last_name")
            .order_by("first_name", "last_name", "username")
        ]
        industries = (
            Account.objects.visible_to(user)
            .exclude(industry="")
            .order_by("industry")
            .values_list("industry", flat=True)
            .distinct()[:200]
        )
        self.fields["industry"].choices = [("", "Any industry")] + [(i, i) for i in industries]
        self.fields["product_line"].choices = [("", "Every line")] + [
            (n, n) for n in ProductLine.objects.order_by("name").values_list("name", flat=True)
        ]

    def whitespace_params(self) -> dict:
        params = self.params()
        params.pop("level")
        params.pop("threshold")
        params.pop("basis")
        data = self.cleaned_data
        params.update(
            by=data.get("by") or "product",
            tier=data.get("tier") or None,
            owner=data.get("owner") or None,
            industry=data.get("industry") or None,
            product_line=data.get("product_line") or None,
            horizon=data.get("horizon") or 12,  # accounts ranked by the model's expected value
        )
        return params

    def prediction_choice(self) -> tuple[int, str]:
        """(horizon in months, rank by) for the predicted white space."""
        data = self.cleaned_data
        return data.get("horizon") or 12, data.get("rank") or "value"
