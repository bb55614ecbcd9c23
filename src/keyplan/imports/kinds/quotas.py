"""quotas: the number each rep, team and the company carries for a fiscal year or a
quarter. A row names the period, whose quota it is (a rep, a team, or the company) and
the amount; importing again changes the amounts that changed. Written through the same
service as the quota page (keyplan.salesplan.services), so the trail records them."""

import difflib
from decimal import Decimal

from keyplan.imports.kinds.base import (
    Cleaner,
    Counts,
    Field,
    RowError,
    choice,
)
from keyplan.imports.kinds.users import user_index
from keyplan.imports.values import normalise_key, parse_decimal
from keyplan.people.models import Team, User
from keyplan.salesplan.choices import QuotaLevel
from keyplan.salesplan.models import Quota
from keyplan.salesplan.periods import Period, parse_period
from keyplan.salesplan.services import quota_save

_CENT = Decimal("0.01")


class QuotasKind:
    name = "quotas"
    model = Quota
    fields = (
        Field("period", "Fiscal year or quarter: “FY 2026”, “2026”, “Q3 FY 2026”", required=True),
        Field("level", "Whose quota: rep, team or company (read from rep and team when absent)"),
        Field("rep", "The rep: username, email, id in the source system or full name"),
        Field("team", "The team's name"),
        Field("amount", "Quota, in the installation's currency", required=True),
    )
    export_fields = ("period", "level", "rep", "team", "amount")

    def __init__(self, options):
        self.options = options
        self.users = user_index()
        self.team_names = dict(Team.objects.values_list("pk", "name"))
        self.teams = {normalise_key(name): pk for pk, name in self.team_names.items()}
        # Sales ops write people's names as often as their usernames: a full name names
        # a rep when exactly one person has it. Names for the messages, by id.
        self.people = {}
        self.by_name: dict[str, list[int]] = {}
        self.full_names: dict[str, str] = {}  # as written, for "did you mean"
        for pk, username, first, last in User.objects.values_list(
            "pk", "username", "first_name", "last_name"
        ):
            full = f"{first} {last}".strip()
            self.people[pk] = f"{full} ({username})" if full else username
            if full:
                self.by_name.setdefault(normalise_key(full), []).append(pk)
                self.full_names[normalise_key(full)] = full

    def clean(self, row):
        c = Cleaner(row)
        c.set("_period", lambda: self._period(c.raw("period")))
        c.parsed("amount", parse_decimal, required=True, minimum=0)
        if c.values.get("amount") is not None:
            c.values["amount"] = c.values["amount"].quantize(_CENT)
        rep, team = c.raw("rep"), c.raw("team")
        level = c.raw("level")
        if level:
            c.set("level", lambda: choice(level, "level", QuotaLevel.choices))
        else:
            c.values["level"] = (
                QuotaLevel.REP if rep else QuotaLevel.TEAM if team else QuotaLevel.COMPANY
            )
        chosen = c.values.get("level")
        if chosen == QuotaLevel.REP:
            if not rep:
                c.fail("rep", "a rep's quota names the rep")
            else:
                c.set("rep_id", lambda: self._rep(rep))
        elif chosen == QuotaLevel.TEAM:
            if not team:
                c.fail("team", "a team's quota names the team")
            else:
                c.set("team_id", lambda: self._team(team))
        elif chosen == QuotaLevel.COMPANY and (rep or team):
            c.fail("level", "the company's quota names neither a rep nor a team")
        return c.done()

    @staticmethod
    def _period(text: str) -> Period:
        if not text:
            raise RowError("period", "", "is required")
        try:
            return parse_period(text)
        except ValueError as exc:
            raise RowError("period", text, str(exc)) from None

    def _rep(self, text: str) -> int:
        try:
            pk = self.users.find(text)
        except LookupError:
            # Usernames are unique: two people share the email (or the id) written.
            raise RowError(
                "rep", text, f"more than one person has “{text}”: give the username"
            ) from None
        if pk is not None:
            return pk
        named = self.by_name.get(normalise_key(text), [])
        if len(named) == 1:
            return named[0]
        if len(named) > 1:
            raise RowError(
                "rep",
                text,
                f"{len(named)} people are called “{text}”: give the username or email",
            )
        raise RowError("rep", text, self._no_such_rep(text))

    def _no_such_rep(self, text: str) -> str:
        """In a sales-ops analyst's words (the column is "rep", not "user"), with the
        closest username, email or full name when one is near."""
        message = "no rep with that username or name (people are added on the People page)"
        written = {**self.users.names, **self.full_names}
        close = (
            difflib.get_close_matches(normalise_key(text), written, n=1, cutoff=0.75)
            if len(written) <= 20_000  # as Index.not_found: difflib is slow beyond
            else []
        )
        if close:
            message += f" — did you mean “{written[close[0]]}”?"
        return message

    def _team(self, name: str) -> int:
        pk = self.teams.get(normalise_key(name))
        if pk is None:
            raise RowError("team", name, f"team “{name}” not found (add it on the People page)")
        return pk

    def key(self, values):
        # Read in the message of a repeated row: words, not ids ("FY 2027 / Amir
        # Bianchi (abianchi)"); usernames and team names are unique, so is the key.
        period = values["_period"]
        if values.get("rep_id"):
            whose = self.people.get(values["rep_id"], values["rep_id"])
        elif values.get("team_id"):
            whose = f"team {self.team_names.get(values['team_id'], values['team_id'])}"
        else:
            whose = "the company"
        return (period.name, whose)

    def write(self, batch):
        counts = Counts()
        user = self.options.user
        reps = User.objects.in_bulk([v["rep_id"] for _, v in batch if v.get("rep_id")])
        teams = Team.objects.in_bulk([v["team_id"] for _, v in batch if v.get("team_id")])
        for _number, values in batch:
            quota_kwargs = {
                "level": values["level"],
                "period": values["_period"],
                "amount": values["amount"],
                "rep": reps.get(values.get("rep_id")),
                "team": teams.get(values.get("team_id")),
            }
            before = (
                Quota.objects.filter(
                    level=values["level"],
                    fiscal_year=values["_period"].fiscal_year,
                    quarter=values["_period"].quarter,
                    rep_id=values.get("rep_id"),
                    team_id=values.get("team_id"),
                )
                .values_list("amount", flat=True)
                .first()
            )
            # Who may import is decided by the import pages and the command line (sales
            # ops, admins, the operator): the kind does not ask again per row.
            quota_save(user=user, check_permission=False, **quota_kwargs)
            if before is None:
                counts.created += 1
            elif before != values["amount"]:
                counts.updated += 1
            else:
                counts.unchanged += 1
        return counts

    def finish(self):
        return []

    def export_rows(self, queryset):
        for q in queryset.select_related("rep", "team").order_by(
            "fiscal_year", "quarter", "level", "pk"
        ):
            yield [
                q.period.name,
                q.level,
                q.rep.username if q.rep else "",
                q.team.name if q.team else "",
                format(q.amount.normalize(), "f")
                if q.amount == q.amount.to_integral()
                else str(q.amount),
            ]
