"""Forms for the plan pages. They check types and required fields; the rules (who may,
what is plausible, what belongs to which plan) live in plans.services, whose refusals
the views put back on the form field by field."""

from django import forms

from keyplan.accounts.forms import name_contacts
from keyplan.accounts.models import Account, Contact
from keyplan.catalog.models import ProductLine
from keyplan.core.forms import say_nothing_chosen
from keyplan.people.models import User
from keyplan.plans.models import (
    AccountPlan,
    Action,
    CustomerGoal,
    ExecutivePairing,
    HelpRequest,
    Idea,
    InvestmentCase,
    Milestone,
    Objective,
    QualitativeGoal,
    Strategy,
    ValueStatement,
    Vendor,
)
from keyplan.plans.services.common import plan_subtree_ids

TEXT = {"rows": 3}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Contacts and accounts offered in a plan's pickers: enough for any one customer.
PICK_LIMIT = 500


def _subtree_accounts(plan_or_account):
    if isinstance(plan_or_account, AccountPlan):
        ids = plan_subtree_ids(plan_or_account)
    else:
        from keyplan.accounts.models import AccountLineage

        ids = AccountLineage.objects.filter(ancestor=plan_or_account).values("descendant_id")
    return Account.objects.filter(pk__in=ids)


def _contacts(plan):
    return Contact.objects.filter(account_id__in=plan_subtree_ids(plan), is_active=True).order_by(
        "last_name", "first_name"
    )[:PICK_LIMIT]


class VersionedForm(forms.ModelForm):
    """Carries the version of the item the editor loaded, so a later save made from a
    stale copy is refused instead of overwriting someone else's change."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan=None, **kwargs):
        self.plan = plan
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        for field in self.fields.values():
            say_nothing_chosen(field)

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        return data


class PlanCreateForm(forms.Form):
    period_start = forms.DateField(widget=DATE)
    period_end = forms.DateField(widget=DATE)
    revenue_goal = forms.DecimalField(max_digits=16, decimal_places=2, min_value=0)
    stretch_goal = forms.DecimalField(max_digits=16, decimal_places=2, required=False, min_value=0)
    aspiration_years = forms.IntegerField(min_value=3, max_value=5, initial=3)
    aspiration_statement = forms.CharField(widget=forms.Textarea(attrs=TEXT), required=False)
    covered_accounts = forms.ModelMultipleChoiceField(
        Account.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Accounts under this one that the plan also covers (their facts count)",
    )
    carry_forward = forms.BooleanField(
        required=False,
        help_text=(
            "Copy the previous plan's customer goals, open ideas and open actions, "
            "marked as carried"
        ),
    )

    def __init__(self, *args, account, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covered_accounts"].queryset = Account.objects.filter(
            pk__in=list(account.children.values_list("pk", flat=True)[:PICK_LIMIT])
        ).order_by("name")
        if previous is None:
            del self.fields["carry_forward"]
        else:
            self.fields["carry_forward"].label = f"Carry forward from {previous.period_label}"
            self.fields["carry_forward"].initial = True


class PlanSectionForm(VersionedForm):
    class Meta:
        model = AccountPlan
        fields: list[str] = []
        widgets = {
            name: forms.Textarea(attrs=TEXT)
            for name in (
                "aspiration_statement",
                "value_perception",
                "our_aspirations",
                "customer_business",
                "customer_trends",
                "customer_challenges",
                "our_capabilities",
                "our_references",
                "our_offers",
                "proposal_vision",
                "proposal_response",
            )
        } | {"period_start": DATE, "period_end": DATE, "proposal_presented_on": DATE}


class PlanBasicsForm(PlanSectionForm):
    class Meta(PlanSectionForm.Meta):
        fields = [
            "period_start",
            "period_end",
            "revenue_goal",
            "stretch_goal",
            "aspiration_years",
            "aspiration_statement",
            "aspiration_value",
            "owner",
            "team",
            "covered_accounts",
        ]
        widgets = PlanSectionForm.Meta.widgets | {"covered_accounts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = self.instance
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["team"].queryset = User.objects.filter(is_active=True).order_by("username")
        # The direct children, and whatever the plan already covers deeper down (set
        # through the API), so saving this form never drops a covered account unseen.
        offered = set(plan.account.children.values_list("pk", flat=True)[:PICK_LIMIT])
        offered |= set(plan.covered_accounts.values_list("pk", flat=True)) if plan.pk else set()
        self.fields["covered_accounts"].queryset = Account.objects.filter(
            pk__in=list(offered)
        ).order_by("name")


class PlanInsightsForm(PlanSectionForm):
    class Meta(PlanSectionForm.Meta):
        fields = ["value_perception", "our_aspirations"]


class PlanResearchForm(PlanSectionForm):
    class Meta(PlanSectionForm.Meta):
        fields = [
            "customer_business",
            "customer_trends",
            "customer_challenges",
            "our_capabilities",
            "our_references",
            "our_offers",
        ]


class PlanProposalForm(PlanSectionForm):
    class Meta(PlanSectionForm.Meta):
        fields = [
            "proposal_vision",
            "proposal_presented_on",
            "proposal_presented_to",
            "proposal_response",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposal_presented_to"].queryset = Contact.objects.filter(
            pk__in=[c.pk for c in _contacts(self.instance)]
        )
        name_contacts(self.fields["proposal_presented_to"])


SECTION_FORMS = {
    "basics": PlanBasicsForm,
    "insights": PlanInsightsForm,
    "research": PlanResearchForm,
    "proposal": PlanProposalForm,
}


class GoalForm(VersionedForm):
    class Meta:
        model = CustomerGoal
        fields = [
            "level",
            "title",
            "organisation",
            "contacts",
            "story",
            "customer_aspiration",
            "value_measure",
            "target_value",
            "expectation_now",
            "expectation_next_year",
            "source_contact",
            "source_date",
            "source_note",
        ]
        widgets = {
            "story": forms.Textarea(attrs=TEXT),
            "customer_aspiration": forms.Textarea(attrs={"rows": 2}),
            "value_measure": forms.Textarea(attrs={"rows": 2}),
            "expectation_now": forms.Textarea(attrs={"rows": 2}),
            "expectation_next_year": forms.Textarea(attrs={"rows": 2}),
            "source_date": DATE,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        contacts = Contact.objects.filter(pk__in=[c.pk for c in _contacts(self.plan)])
        self.fields["contacts"].queryset = contacts
        self.fields["source_contact"].queryset = contacts
        name_contacts(self.fields["contacts"], self.fields["source_contact"])
        self.fields["organisation"].queryset = Account.objects.filter(
            pk__in=list(_subtree_accounts(self.plan).values_list("pk", flat=True)[:PICK_LIMIT])
        ).order_by("name")


class ValueForm(VersionedForm):
    class Meta:
        model = ValueStatement
        fields = ["metric", "amount", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class VendorForm(VersionedForm):
    class Meta:
        model = Vendor
        fields = [
            "relation",
            "name",
            "product_lines",
            "estimated_spend",
            "estimated_share",
            "strengths",
            "weaknesses",
            "relationships",
        ]
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 2}),
            "weaknesses": forms.Textarea(attrs={"rows": 2}),
            "relationships": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product_lines"].queryset = ProductLine.objects.order_by("name")


class Datalist(forms.TextInput):
    """A text box that offers the values already in use (an HTML datalist) while still
    taking a new one."""

    template_name = "plans/widgets/datalist.html"

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = list(choices)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        list_id = f"{context['widget']['attrs'].get('id', name)}-choices"
        context["widget"]["attrs"]["list"] = list_id
        context["widget"]["list_id"] = list_id
        context["widget"]["choices"] = self.choices
        return context


class IdeaForm(VersionedForm):
    class Meta:
        model = Idea
        fields = [
            "title",
            "goal",
            "problem_statement",
            "root_cause",
            "delivery",
            "partner_name",
            "annual_value",
            "expected_date",
            "confidence",
            "needs_investment",
            "in_proposal",
            "product_line",
            "needs_new_offering",
            "new_offering_need",
            "new_offering_category",
        ]
        widgets = {
            "problem_statement": forms.Textarea(attrs={"rows": 2}),
            "root_cause": forms.Textarea(attrs={"rows": 2}),
            "expected_date": DATE,
            "new_offering_need": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        from keyplan.plans.new_offerings import categories_in_use

        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = self.plan.goals.all()
        self.fields["product_line"].queryset = ProductLine.objects.order_by("name")
        self.fields["new_offering_category"].widget = Datalist(choices=categories_in_use())


class InvestmentForm(VersionedForm):
    class Meta:
        model = InvestmentCase
        fields = [
            "idea",
            "title",
            "description",
            "cost",
            "customer_share",
            "expected_return",
            "payback_months",
            "risks",
            "in_proposal",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "risks": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["idea"].queryset = self.plan.ideas.all()


def _people(plan):
    """Our active people; the services refuse an owner who cannot see the account."""
    return User.objects.filter(is_active=True).order_by("last_name", "first_name")


class DatedForm(VersionedForm):
    confirm_outside_period = forms.BooleanField(
        required=False,
        label="Yes, the date is outside the plan period on purpose",
    )


class ObjectiveForm(DatedForm):
    class Meta:
        model = Objective
        fields = [
            "category",
            "title",
            "metric",
            "baseline",
            "target",
            "due_date",
            "owner",
            "progress_source",
            "manual_value",
        ]
        widgets = {"due_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = _people(self.plan)
        self.fields["owner"].required = True


class QualitativeForm(VersionedForm):
    class Meta:
        model = QualitativeGoal
        fields = ["text"]


class StrategyForm(VersionedForm):
    class Meta:
        model = Strategy
        fields = ["objective", "description", "resources"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "resources": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = self.plan.objectives.all()


class ActionForm(DatedForm):
    class Meta:
        model = Action
        fields = ["title", "strategy", "owner", "due_date", "effort_hours", "status", "contacts"]
        widgets = {"due_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = Strategy.objects.filter(
            objective__plan=self.plan
        ).select_related("objective")
        self.fields["owner"].queryset = _people(self.plan)
        self.fields["contacts"].queryset = Contact.objects.filter(
            pk__in=[c.pk for c in _contacts(self.plan)]
        )
        name_contacts(self.fields["contacts"])


class MilestoneForm(DatedForm):
    class Meta:
        model = Milestone
        fields = ["title", "date", "objective", "reached"]
        widgets = {"date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = self.plan.objectives.all()


class HelpForm(VersionedForm):
    class Meta:
        model = HelpRequest
        fields = [
            "help_kind",
            "what",
            "asked_of",
            "needed_by",
            "hours",
            "function",
            "scope",
            "committed_from",
            "committed_to",
        ]
        widgets = {
            "needed_by": DATE,
            "committed_from": DATE,
            "committed_to": DATE,
            "scope": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asked_of"].queryset = _people(self.plan)


class PairingForm(VersionedForm):
    class Meta:
        model = ExecutivePairing
        fields = ["our_executive", "their_executive", "cadence_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["our_executive"].queryset = User.objects.filter(
            is_active=True, role__in=["executive", "manager"]
        ).order_by("last_name", "first_name")
        self.fields["their_executive"].queryset = Contact.objects.filter(
            pk__in=[c.pk for c in _contacts(self.plan)]
        )
        name_contacts(self.fields["their_executive"])


ELEMENT_FORMS = {
    "objective": ObjectiveForm,
    "qualitative": QualitativeForm,
    "strategy": StrategyForm,
    "action": ActionForm,
    "milestone": MilestoneForm,
    "help": HelpForm,
    "pairing": PairingForm,
    "goal": GoalForm,
    "value": ValueForm,
    "vendor": VendorForm,
    "idea": IdeaForm,
    "investment": InvestmentForm,
}
