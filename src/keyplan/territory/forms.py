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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("territory", "Whole territory")]
        choices += [
            (f"team:{t}", f"Team {t}")
            for t in Team.objects.order_by("name").values_list("name", flat=True)
        ]
        choices += [
            (f"rep:{u}", f"Rep {u}")
            for u in User.objects.filter(role="rep", is_active=True)
            .order_by("username")
            .values_list("username", flat=True)
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
            raise forms.ValidationError(str(exc)) from None
        return {
            "window": window,
            "scope": Scope.parse(data.get("scope") or "territory"),
            "level": data.get("level") or "account",
            "threshold": (data.get("threshold") or 80) / 100,
        }
