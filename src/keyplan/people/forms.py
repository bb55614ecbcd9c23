from django import forms
from django.contrib.auth.password_validation import validate_password

from keyplan.core.chains import closes_loop
from keyplan.people.models import Team, User


class UserForm(forms.ModelForm):
    """Creates or edits a person. A password is required for a new user and optional
    when editing (blank keeps the current one)."""

    password = forms.CharField(
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text="Leave blank to keep the current password.",
    )

    class Meta:
        model = User
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "title",
            "role",
            "team",
            "manager",
            "weekly_hours",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        managers = User.objects.filter(is_active=True).order_by("last_name", "first_name")
        if self.instance.pk:
            managers = managers.exclude(pk=self.instance.pk)
        self.fields["manager"].queryset = managers
        self.fields["is_active"].help_text = (
            "Untick when someone leaves: they can no longer sign in and their API token "
            "stops working, while their accounts, plans and history stay as they are."
        )
        if not self.instance.pk:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean_manager(self):
        manager = self.cleaned_data.get("manager")
        if closes_loop(self.instance.pk, manager, "manager"):
            raise forms.ValidationError(
                f"{manager} already reports to {self.instance}; that would make a cycle."
            )
        return manager

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            validate_password(password, self.instance)
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        if self.cleaned_data.get("password"):
            user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "manager"]


class TokenNameForm(forms.Form):
    """What a new API token is for, in its holder's words (optional)."""

    name = forms.CharField(
        label="What it is for (optional)",
        required=False,
        max_length=100,
        help_text="For example “Nightly CRM sync”: your list shows it, so you know which "
        "token to revoke.",
    )
