from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from keyplan.people.choices import MANAGES_SETTINGS, SEES_EVERYTHING, Role


class Team(models.Model):
    """A sales team: a group of people led by one manager (e.g. "Enterprise North")."""

    name = models.CharField(max_length=120, unique=True)
    manager = models.ForeignKey(
        "people.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_teams",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person of our company who uses keyplan: a rep, a manager, an executive, sales ops
    or an administrator. ``weekly_hours`` is the time they have for account work each week,
    against which the effort of planned actions is checked."""

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.REP, db_index=True)
    external_id = models.CharField(
        max_length=64, unique=True, null=True, blank=True, help_text="Id in the source system"
    )
    title = models.CharField(max_length=120, blank=True)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports"
    )
    weekly_hours = models.DecimalField(
        "weekly hours for account work",
        max_digits=5,
        decimal_places=1,
        default=Decimal("20.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("80"))],
    )

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        # ``set_password`` leaves the new password in ``_password`` until saved; whoever set
        # it (the person, an administrator, ``keyplan changepassword``), the API token
        # issued under the old one must not outlive it. (Sessions already end: Django
        # checks the password hash on each request.)
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from keyplan.people.tokens import token_revoke

            token_revoke(user=self)

    @property
    def sees_everything(self) -> bool:
        return self.is_superuser or self.role in SEES_EVERYTHING

    @property
    def manages_settings(self) -> bool:
        return self.is_superuser or self.role in MANAGES_SETTINGS


class ApiToken(models.Model):
    """A key a person's script or integration signs in to the API with.

    Only a SHA-256 digest of the key is stored, with its first characters (``prefix``) to
    find it: the key itself is shown once, in the answer that issued it, and a copy of the
    database signs no one in. A person may hold several (one per script); each expires on
    its own (see ``keyplan.people.tokens``). ``name`` is what its holder says it is for
    (optional); ``last_used`` when it last signed a request in, to the minute.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField()
    name = models.CharField(max_length=100, blank=True, default="")
    last_used = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.prefix}… of {self.user}"
