"""The owner's form for sharing a plan. The customer's forms are a few named fields read
by the views and checked by the services."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from keyplan.accounts.models import Contact
from keyplan.mutual import selectors
from keyplan.plans.choices import IdeaStage
from keyplan.plans.models import Action, CustomerGoal, Idea, Milestone
from keyplan.plans.services.common import plan_subtree_ids


class ContactChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, contact):
        name = " ".join(p for p in (contact.first_name, contact.last_name) if p)
        extra = ", ".join(p for p in (contact.title, contact.email or "no email") if p)
        return f"{name} ({extra})"


class ShareForm(forms.Form):
    recipients = ContactChoice(
        queryset=Contact.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Share with",
        help_text="The customer's people who may open it (and sign their changes)",
        error_messages={"required": "Name at least one of the customer's people to share with."},
    )
    expires_on = forms.DateField(
        label="Open until (included)",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a day, e.g. 2027-03-31."},
    )
    requires_code = forms.BooleanField(
        label="Ask for a one-time code sent by email to the person opening it",
        required=False,
    )
    note = forms.CharField(label="For whom (only you see this)", max_length=200, required=False)
    show_goals = forms.BooleanField(label="Their goals", required=False, initial=True)
    show_proposal = forms.BooleanField(
        label="The proposal and the agreed ideas", required=False, initial=True
    )
    show_actions = forms.BooleanField(label="Joint actions", required=False, initial=True)
    show_milestones = forms.BooleanField(label="Milestones", required=False, initial=True)
    hidden_goals = forms.ModelMultipleChoiceField(
        queryset=CustomerGoal.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Goals kept internal",
    )
    hidden_ideas = forms.ModelMultipleChoiceField(
        queryset=Idea.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Agreed ideas kept internal",
    )
    hidden_actions = forms.ModelMultipleChoiceField(
        queryset=Action.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Joint actions kept internal",
    )
    hidden_milestones = forms.ModelMultipleChoiceField(
        queryset=Milestone.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Milestones kept internal",
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["expires_on"].initial = timezone.localdate() + timedelta(days=30)
        self.fields["recipients"].queryset = Contact.objects.filter(
            account_id__in=plan_subtree_ids(plan), is_active=True
        ).order_by("last_name", "first_name", "pk")
        self.fields["hidden_goals"].queryset = CustomerGoal.objects.filter(plan=plan).order_by(
            "level", "pk"
        )
        self.fields["hidden_ideas"].queryset = (
            Idea.objects.filter(plan=plan, in_proposal=True)
            .exclude(stage=IdeaStage.DROPPED)
            .order_by("pk")
        )
        self.fields["hidden_actions"].queryset = selectors.joint_actions(plan).order_by(
            "due_date", "pk"
        )
        self.fields["hidden_milestones"].queryset = Milestone.objects.filter(plan=plan).order_by(
            "date", "pk"
        )

    def part_fields(self):
        return [
            self[name]
            for name in ("show_goals", "show_proposal", "show_actions", "show_milestones")
        ]

    def hidden_fields_of_parts(self):
        return [
            self[name]
            for name in ("hidden_goals", "hidden_ideas", "hidden_actions", "hidden_milestones")
            if self.fields[name].queryset.exists()
        ]
