from collections import Counter

from django import forms
from django.core.exceptions import ValidationError

from keyplan.accounts.models import Account, AccountLineage, Contact
from keyplan.core import words
from keyplan.core.chains import closes_loop
from keyplan.core.forms import say_nothing_chosen
from keyplan.people.models import User


class AccountReferenceField(forms.CharField):
    """An account typed as its external id or exact name (case- and space-insensitive),
    looked up among the accounts the user may see. A select box cannot list 100,000
    accounts; this can."""

    def __init__(self, *, user=None, **kwargs):
        self.user = user
        kwargs.setdefault("help_text", "External id or exact name of the account")
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            account = Account.objects.filter(pk=value).first()
            return (account.external_id or account.name) if account else ""
        if isinstance(value, Account):
            return value.external_id or value.name
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        text = " ".join(value.split())
        visible = Account.objects.visible_to(self.user)
        match = visible.filter(external_id=text).first()
        if match is None:
            matches = list(visible.filter(name__iexact=text)[:2])
            if len(matches) > 1:
                raise ValidationError(
                    f"More than one account is called “{text}”; use its external id."
                )
            match = matches[0] if matches else None
        if match is None:
            raise ValidationError(f"No account you can see has the external id or name “{text}”.")
        return match


class VersionedForm(forms.ModelForm):
    """An edit form that carries the version it was loaded from (a hidden field), so a
    save over someone else's later change is refused instead of overwriting it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.version

    def refuse_if_stale(self, stored) -> bool:
        """Refuse the save when ``stored`` (the record as saved now, locked) is newer
        than the version the form was loaded from: the form keeps every value typed and
        says who changed it when; it now carries the stored version, so saving again
        (after a look) is a deliberate overwrite. True when refused."""
        loaded = self.cleaned_data.get("version")
        if loaded == stored.version:
            return False
        label = stored._meta.verbose_name
        self.add_error(
            None,
            f"Someone else saved this {label} at {words.moment(stored.updated_at)}, after "
            "you opened it. Your changes were not saved; they are still below. Open the "
            f"{label} in another tab to see theirs, then save again to keep yours.",
        )
        self.data = self.data.copy()
        self.data["version"] = stored.version
        return True


class AccountForm(VersionedForm):
    """Edits an account's profile. Saving goes through accounts.services (the view's
    job), which keeps the hierarchy consistent."""

    website = forms.URLField(required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Account
        fields = [
            "name",
            "external_id",
            "kind",
            "parent",
            "industry",
            "country",
            "region",
            "employees",
            "annual_revenue",
            "website",
            "owner",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["parent"] = AccountReferenceField(
            user=user, required=False, label="Parent account"
        )
        if self.instance.pk and self.instance.parent_id:
            self.initial["parent"] = self.instance.parent
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name"
        )
        if not user.sees_everything and user.role != "manager":
            # Reps cannot hand accounts away (they would lose sight of them).
            self.fields["owner"].disabled = True
            if not self.instance.pk:
                self.initial["owner"] = user.pk

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        account = self.instance
        if (
            parent
            and account.pk
            and (
                parent.pk == account.pk
                or AccountLineage.objects.filter(ancestor=account, descendant=parent).exists()
            )
        ):
            raise ValidationError(
                f"{parent} sits under {account}; an account cannot be its own ancestor."
            )
        return parent


class _ContactChoice:
    """A contact as a picker offers them: by name, and with their title when someone else
    in the same picker has that name (two Laura Abbotts in different jobs)."""

    def __init__(self, field):
        self.field = field
        self.shared = None

    def __call__(self, contact) -> str:
        if self.shared is None:  # once per picker, from the contacts it offers
            names = Counter(c.name for c in self.field.queryset)
            self.shared = {name for name, count in names.items() if count > 1}
        if contact.name in self.shared and contact.title:
            return f"{contact.name} ({contact.title})"
        return contact.name


def name_contacts(*fields) -> None:
    """Let these contact pickers tell people of one name apart by their title."""
    for field in fields:
        field.label_from_instance = _ContactChoice(field)


class ContactForm(VersionedForm):
    class Meta:
        model = Contact
        fields = [
            "first_name",
            "last_name",
            "title",
            "function",
            "seniority",
            "reports_to",
            "email",
            "phone",
            "is_active",
            "decision_role",
            "attitude",
            "relationship_strength",
            "relationship_owner",
        ]

    def __init__(self, *args, account, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account
        peers = Contact.objects.filter(account=account).order_by("last_name", "first_name")
        if self.instance.pk:
            peers = peers.exclude(pk=self.instance.pk)
        self.fields["reports_to"].queryset = peers
        name_contacts(self.fields["reports_to"])
        self.fields["relationship_owner"].queryset = User.objects.filter(is_active=True).order_by(
            "last_name", "first_name"
        )
        for field in self.fields.values():
            say_nothing_chosen(field)

    def clean_reports_to(self):
        manager = self.cleaned_data.get("reports_to")
        if closes_loop(self.instance.pk, manager, "reports_to"):
            raise ValidationError(
                f"{manager} already reports (directly or not) to {self.instance}; "
                "that would make a cycle."
            )
        return manager
