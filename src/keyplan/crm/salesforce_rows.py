"""What keyplan sends to Salesforce, as Data Loader rows: one builder per Salesforce
object, over the same visibility rule as every page (``visible_to``).

* Only what keyplan made goes: records without an external id (or with one that
  Salesforce gave them after an earlier export, recorded in ``SalesforceId``). Records
  imported from Salesforce are Salesforce's: they are not sent back.
* Every row carries ``Keyplan_Id__c`` (``kp-opportunity-12``), so that Data Loader's
  upsert on it is idempotent; a row whose record Salesforce already has carries its
  ``Id`` as well.
* References (``AccountId``, ``WhatId``, ``WhoId``, ``OwnerId``, ``ReportsToId``) are
  Salesforce ids or empty. A record whose account has no Salesforce id cannot be placed:
  it goes to ``skipped`` with the reason, never silently dropped. So does a value
  Salesforce would refuse (a new opportunity without a close date, a name longer than
  the field).
* "Changed since" is each record's own change time: ``updated_at`` for opportunities and
  contacts, the plan's trail for actions and territory activities (an action carried
  into a new plan has no trail of its own: the plan's creation), and the time it was
  logged for an interaction (interactions are not edited after).
"""

import datetime
import re
from dataclasses import dataclass, field

from django.db.models import DateTimeField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from keyplan.accounts.choices import InteractionKind
from keyplan.accounts.models import Contact, Interaction
from keyplan.core import words
from keyplan.crm.choices import ExportedKind
from keyplan.crm.models import SalesforceId
from keyplan.imports.kinds.base import salesforce_15
from keyplan.plans.choices import ActionStatus
from keyplan.plans.models import Action, Idea, PlanChange
from keyplan.sales.models import Opportunity
from keyplan.salesplan.models import TerritoryActivity, TerritoryPlanChange

PREFIX = "kp"
_KEYPLAN_ID = re.compile(rf"{PREFIX}-({'|'.join(ExportedKind.values)})-(\d+)")

HEADERS = {
    "Contact.csv": [
        "Id",
        "Keyplan_Id__c",
        "AccountId",
        "FirstName",
        "LastName",
        "Title",
        "Department",
        "Email",
        "Phone",
        "ReportsToId",
        "OwnerId",
    ],
    "Opportunity.csv": [
        "Id",
        "Keyplan_Id__c",
        "AccountId",
        "Name",
        "StageName",
        "CloseDate",
        "Amount",
        "Probability",
        "OwnerId",
        "Description",
    ],
    "Task.csv": [
        "Id",
        "Keyplan_Id__c",
        "WhatId",
        "WhoId",
        "Subject",
        "ActivityDate",
        "Status",
        "Priority",
        "Type",
        "OwnerId",
        "Description",
    ],
    "Event.csv": [
        "Id",
        "Keyplan_Id__c",
        "WhatId",
        "WhoId",
        "Subject",
        "IsAllDayEvent",
        "ActivityDate",
        "OwnerId",
        "Description",
    ],
}
# The order to load them in (a task may name a contact or opportunity loaded before it).
FILES = list(HEADERS)
OBJECT = {name: name.removesuffix(".csv") for name in FILES}

# Salesforce's field lengths: a longer value would fail the row in Data Loader.
LIMITS = {
    ("Contact.csv", "FirstName"): 40,
    ("Contact.csv", "LastName"): 80,
    ("Contact.csv", "Title"): 128,
    ("Contact.csv", "Department"): 80,
    ("Contact.csv", "Email"): 80,
    ("Contact.csv", "Phone"): 40,
    ("Opportunity.csv", "Name"): 120,
    ("Opportunity.csv", "StageName"): 40,
    ("Task.csv", "Subject"): 255,
    ("Event.csv", "Subject"): 255,
}

# Salesforce's standard task statuses; only Completed closes a task.
TASK_STATUS = {
    ActionStatus.PLANNED: "Not Started",
    ActionStatus.SCHEDULED: "In Progress",
    ActionStatus.DONE: "Completed",
    ActionStatus.MISSED: "Deferred",
    ActionStatus.CANCELLED: "Deferred",
}


def keyplan_id(kind: str, pk: int) -> str:
    return f"{PREFIX}-{kind}-{pk}"


def parse_keyplan_id(text: str) -> tuple[str, int] | None:
    """(kind, record id) of a ``Keyplan_Id__c`` value, or None when it is not one."""
    match = _KEYPLAN_ID.fullmatch((text or "").strip())
    return (match[1], int(match[2])) if match else None


def salesforce_id(text: str | None) -> str:
    """``text`` when it is a Salesforce id (15 characters, or 18 with a valid checksum),
    else "": another system's id must never reach a Salesforce reference field."""
    text = (text or "").strip()
    if salesforce_15(text) or (len(text) == 15 and text.isalnum()):
        return text
    return ""


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _date(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


@dataclass
class Skipped:
    file: str
    keyplan_id: str
    name: str
    reason: str


@dataclass
class Changes:
    """The rows of each file (dicts by Salesforce field), what was skipped and why."""

    at: datetime.datetime
    since: datetime.datetime | None
    # Records the last export skipped, by kind: sent again whatever their change time.
    retry: dict[str, set[int]] = field(default_factory=dict)
    files: dict[str, list[dict]] = field(default_factory=lambda: {n: [] for n in FILES})
    skipped: list[Skipped] = field(default_factory=list)

    def add(self, file: str, row: dict, *, name: str) -> None:
        for column, limit in ((c, LIMITS.get((file, c))) for c in row):
            if limit and len(row[column]) > limit:
                self.skip(
                    file,
                    row["Keyplan_Id__c"],
                    name,
                    f"its {column} is {len(row[column]):,} characters long; Salesforce "
                    f"takes at most {limit}: shorten it in keyplan",
                )
                return
        self.files[file].append(row)

    def skip(self, file: str, kid: str, name: str, reason: str) -> None:
        self.skipped.append(Skipped(file, kid, name, reason))

    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.files.items()}


def _no_account_id(account) -> str:
    return (
        f"its account “{account.name}” has no Salesforce id, so Salesforce cannot place "
        "it: import the account from Salesforce (or give it its Salesforce id) and export "
        "again"
    )


def _first_contact_id(contacts) -> str:
    for contact in contacts:
        sf = salesforce_id(contact.external_id)
        if sf:
            return sf
    return ""


def _names(people) -> str:
    return ", ".join(str(p) for p in people)  # a contact's or user's name


def _made_in_keyplan(kind: str) -> Q:
    return Q(external_id__isnull=True) | Q(
        pk__in=SalesforceId.objects.filter(kind=kind).values("record_id")
    )


def _learned(kind: str) -> dict[int, str]:
    return dict(SalesforceId.objects.filter(kind=kind).values_list("record_id", "salesforce_id"))


def _visible(model, user):
    return model.objects.all() if user is None else model.objects.visible_to(user)


def collect(*, user, since, at, retry=()) -> Changes:
    """Everything keyplan made that changed at or after ``since`` (None: everything),
    and the records named in ``retry`` (``Keyplan_Id__c`` values an earlier export
    skipped) whenever they changed."""
    changes = Changes(at=at, since=since)
    for text in retry:
        parsed = parse_keyplan_id(text)
        if parsed:
            changes.retry.setdefault(parsed[0], set()).add(parsed[1])
    _contacts(changes, user)
    _opportunities(changes, user)
    _actions(changes, user)
    _activities(changes, user)
    _interactions(changes, user)
    return changes


def _changed_since(qs, changes: Changes, field: str, kind: str):
    if not changes.since:
        return qs
    wanted = Q(**{f"{field}__gte": changes.since})
    if changes.retry.get(kind):
        wanted |= Q(pk__in=sorted(changes.retry[kind]))
    return qs.filter(wanted)


def _contacts(changes: Changes, user) -> None:
    qs = _visible(Contact, user).filter(_made_in_keyplan(ExportedKind.CONTACT))
    qs = _changed_since(qs, changes, "updated_at", ExportedKind.CONTACT)
    qs = qs.select_related("account", "reports_to", "relationship_owner").order_by("pk")
    for c in qs.iterator(chunk_size=2000):
        kid = keyplan_id(ExportedKind.CONTACT, c.pk)
        account = salesforce_id(c.account.external_id)
        if not account:
            changes.skip("Contact.csv", kid, c.name, _no_account_id(c.account))
            continue
        owner = c.relationship_owner
        row = {
            "Id": salesforce_id(c.external_id),
            "Keyplan_Id__c": kid,
            "AccountId": account,
            "FirstName": c.first_name,
            "LastName": c.last_name,
            "Title": c.title,
            "Department": c.function,
            "Email": c.email,
            "Phone": c.phone,
            "ReportsToId": salesforce_id(c.reports_to.external_id) if c.reports_to else "",
            "OwnerId": salesforce_id(owner.external_id) if owner else "",
        }
        changes.add("Contact.csv", row, name=c.name)


def _opportunities(changes: Changes, user) -> None:
    qs = _visible(Opportunity, user).filter(_made_in_keyplan(ExportedKind.OPPORTUNITY))
    qs = _changed_since(qs, changes, "updated_at", ExportedKind.OPPORTUNITY)
    ideas = Idea.objects.select_related("plan__account").order_by("pk")
    qs = (
        qs.select_related("account", "owner")
        .prefetch_related(Prefetch("ideas", queryset=ideas))
        .order_by("pk")
    )
    for o in qs.iterator(chunk_size=2000):
        kid = keyplan_id(ExportedKind.OPPORTUNITY, o.pk)
        account = salesforce_id(o.account.external_id)
        sf = salesforce_id(o.external_id)
        if not account:
            changes.skip("Opportunity.csv", kid, o.name, _no_account_id(o.account))
            continue
        if o.close_date is None and not sf:
            changes.skip(
                "Opportunity.csv",
                kid,
                o.name,
                "Salesforce needs a close date to create an opportunity: set its expected "
                "close date in keyplan",
            )
            continue
        row = {
            "Id": sf,
            "Keyplan_Id__c": kid,
            "AccountId": account,
            "Name": o.name,
            "StageName": o.stage,
            # An unknown close date or amount stays empty: Data Loader leaves the field
            # as Salesforce has it (it writes empty values only when told to).
            "CloseDate": _date(o.close_date),
            "Amount": "" if o.amount is None else f"{o.amount:.2f}",
            "Probability": str(o.probability),
            "OwnerId": salesforce_id(o.owner.external_id) if o.owner else "",
            "Description": "\n".join(
                f"From the idea “{i.title}” of the account plan for {i.plan.account.name} "
                f"({words.day(i.plan.period_start)} to {words.day(i.plan.period_end)})."
                for i in o.ideas.all()
            ),
        }
        changes.add("Opportunity.csv", row, name=o.name)


def _last_change(trail, subject: str):
    return Subquery(
        trail.objects.filter(subject=subject, object_id=OuterRef("pk"))
        .order_by("-at")
        .values("at")[:1],
        output_field=DateTimeField(),
    )


def _task(kid, sf, *, what, who, subject, day, status, owner, description, kind="Other"):
    return {
        "Id": sf,
        "Keyplan_Id__c": kid,
        "WhatId": what,
        "WhoId": who,
        "Subject": subject,
        "ActivityDate": _date(day),
        "Status": status,
        "Priority": "Normal",
        "Type": kind,
        "OwnerId": owner,
        "Description": description,
    }


def _actions(changes: Changes, user) -> None:
    qs = _visible(Action, user).annotate(
        changed_at=Coalesce(_last_change(PlanChange, "action"), "plan__created_at")
    )
    qs = _changed_since(qs, changes, "changed_at", ExportedKind.ACTION)
    qs = (
        qs.select_related("plan__account", "owner", "strategy__objective")
        .prefetch_related(Prefetch("contacts", queryset=Contact.objects.order_by("pk")))
        .order_by("pk")
    )
    learned = _learned(ExportedKind.ACTION)
    for a in qs.iterator(chunk_size=2000):
        kid = keyplan_id(ExportedKind.ACTION, a.pk)
        account = a.plan.account
        what = salesforce_id(account.external_id)
        if not what:
            changes.skip("Task.csv", kid, a.title, _no_account_id(account))
            continue
        contacts = list(a.contacts.all())
        lines = [
            f"Action of the account plan for {account.name} "
            f"({words.day(a.plan.period_start)} to {words.day(a.plan.period_end)}).",
            f"Effort: {words.number(a.effort_hours)} hours. "
            f"Status in keyplan: {a.get_status_display()}.",
        ]
        if a.strategy:
            lines.append(f"Objective: {a.strategy.objective.title}")
            lines.append(f"Strategy: {a.strategy.description}")
        if contacts:
            lines.append(f"With: {_names(contacts)}")
        row = _task(
            kid,
            learned.get(a.pk, ""),
            what=what,
            who=_first_contact_id(contacts),
            subject=a.title,
            day=a.due_date,
            status=TASK_STATUS[a.status],
            owner=salesforce_id(a.owner.external_id),
            description="\n".join(lines),
        )
        changes.add("Task.csv", row, name=a.title)


def _activities(changes: Changes, user) -> None:
    qs = _visible(TerritoryActivity, user).annotate(
        changed_at=Coalesce(_last_change(TerritoryPlanChange, "activity"), "plan__created_at")
    )
    qs = _changed_since(qs, changes, "changed_at", ExportedKind.ACTIVITY)
    qs = qs.select_related("plan__rep", "strategy", "owner").order_by("pk")
    learned = _learned(ExportedKind.ACTIVITY)
    for a in qs.iterator(chunk_size=2000):
        plan = a.plan
        description = "\n".join(
            [
                f"Activity of the territory plan of {plan.rep} for fiscal year {plan.fiscal_year}.",
                f"Strategy: {a.strategy.title}",
                f"Effort: {words.number(a.effort_hours)} hours. "
                f"Status in keyplan: {a.get_status_display()}.",
            ]
        )
        # A territory activity serves a strategy across the territory, not one account:
        # the task is the owner's, related to no record.
        row = _task(
            keyplan_id(ExportedKind.ACTIVITY, a.pk),
            learned.get(a.pk, ""),
            what="",
            who="",
            subject=a.title,
            day=a.due_date,
            status=TASK_STATUS[a.status],
            owner=salesforce_id(a.owner.external_id),
            description=description,
        )
        changes.add("Task.csv", row, name=a.title)


def _interactions(changes: Changes, user) -> None:
    qs = _visible(Interaction, user).filter(_made_in_keyplan(ExportedKind.INTERACTION))
    qs = _changed_since(qs, changes, "created_at", ExportedKind.INTERACTION)
    qs = (
        qs.select_related("account")
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("pk")), "participants"
        )
        .order_by("pk")
    )
    learned = _learned(ExportedKind.INTERACTION)
    for i in qs.iterator(chunk_size=2000):
        kid = keyplan_id(ExportedKind.INTERACTION, i.pk)
        meeting = i.kind in (InteractionKind.MEETING, InteractionKind.EVENT)
        file = "Event.csv" if meeting else "Task.csv"
        contacts = list(i.contacts.all())
        people = sorted(i.participants.all(), key=lambda p: p.pk)
        subject = i.subject or (
            f"{i.get_kind_display()} with {_names(contacts)}" if contacts else i.get_kind_display()
        )
        what = salesforce_id(i.account.external_id)
        if not what:
            changes.skip(file, kid, subject, _no_account_id(i.account))
            continue
        lines = [i.notes] if i.notes else []
        if people:
            lines.append(f"Our people: {_names(people)}")
        if i.is_executive:
            lines.append("Executive-to-executive.")
        owner = next((sf for p in people if (sf := salesforce_id(p.external_id))), "")
        sf = learned.get(i.pk, "")
        if meeting:
            # keyplan records the day of a meeting, not its time: an all-day event.
            row = {
                "Id": sf,
                "Keyplan_Id__c": kid,
                "WhatId": what,
                "WhoId": _first_contact_id(contacts),
                "Subject": subject,
                "IsAllDayEvent": _bool(True),
                "ActivityDate": _date(i.date),
                "OwnerId": owner,
                "Description": "\n".join(lines),
            }
        else:
            row = _task(
                kid,
                sf,
                what=what,
                who=_first_contact_id(contacts),
                subject=subject,
                day=i.date,
                status="Completed",
                owner=owner,
                description="\n".join(lines),
                kind="Call" if i.kind == InteractionKind.CALL else "Email",
            )
        changes.add(file, row, name=subject)
