"""Messy records reach Salesforce exactly, or are listed in skipped.csv with the reason:
an opportunity without amount or close date, an owner with no Salesforce user id,
names with commas, quotes, line breaks and a leading "=", an account Salesforce does not
know, a name longer than Salesforce's field."""

import datetime

import pytest

from keyplan.sales.choices import OpportunityStatus
from keyplan.sales.models import Opportunity
from keyplan.salesplan.territory import services as ts
from tests.crm.conftest import TODAY, export, read
from tests.factories import AccountFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example","Renewal, ""Q4""\nphase 2")'


def _opportunity(account, name, **fields):
    fields = {
        "stage": "Prospecting",
        "status": OpportunityStatus.OPEN,
        "amount": None,
        "probability": 10,
        "created_date": TODAY,
        "close_date": None,
        **fields,
    }
    return Opportunity.objects.create(account=account, name=name, **fields)


def test_values_go_as_they_are_and_what_cannot_be_placed_is_listed(crm, tmp_path):
    globex = crm.globex
    unknown = _opportunity(globex, "Early idea")  # no amount, no close date
    _opportunity(globex, HOSTILE, close_date=TODAY + datetime.timedelta(days=90))
    _opportunity(globex, "x" * 121, close_date=TODAY)
    prospect = AccountFactory(name="Prospect, Inc.", external_id=None)
    _opportunity(prospect, "Pilot", close_date=TODAY)
    ContactFactory(account=prospect, external_id=None, last_name="O'Brien")
    ContactFactory(account=globex, external_id="CON-LEGACY-1", last_name="Imported elsewhere")
    newcomer = UserFactory(username="newcomer")  # no Salesforce user id
    crm.action.owner = newcomer
    crm.action.save()

    out = tmp_path / "out"
    said = export(out, "--since", "all")

    opportunities = {r["Name"]: r for r in read(out / "Opportunity.csv")}
    assert set(opportunities) == {"Predictive maintenance", HOSTILE}
    # Written as it is: commas, quotes and the line break survive CSV; the "=" is data.
    assert opportunities[HOSTILE]["Amount"] == ""
    assert opportunities[HOSTILE]["CloseDate"] == (TODAY + datetime.timedelta(days=90)).isoformat()
    assert (out / "Opportunity.csv").read_bytes().count(b"\r\n") >= 3

    task = read(out / "Task.csv")[0]
    assert (task["Subject"], task["OwnerId"], task["Status"]) == (
        "Workshop with the CFO",
        "",
        "Not Started",
    )
    contacts = [r["LastName"] for r in read(out / "Contact.csv")]
    assert contacts == ["Newman"]  # not the one another system knows, not the prospect's

    skipped = {(r["file"], r["name"]): r["reason"] for r in read(out / "skipped.csv")}
    assert skipped[("Opportunity.csv", "Early idea")] == (
        "Salesforce needs a close date to create an opportunity: set its expected close "
        "date in keyplan"
    )
    assert skipped[("Opportunity.csv", "Pilot")].startswith(
        "its account “Prospect, Inc.” has no Salesforce id, so Salesforce cannot place it"
    )
    assert skipped[("Opportunity.csv", "x" * 121)] == (
        "its Name is 121 characters long; Salesforce takes at most 120: shorten it in keyplan"
    )
    assert len(skipped) == 4
    assert f"kp-opportunity-{unknown.pk}" in (out / "skipped.csv").read_text()

    readme = (out / "README.txt").read_text()
    assert "skipped.csv: 4 items keyplan could not send" in readme
    assert "1 value begins with =, +, - or @. They are written as" in readme
    assert "4 items skipped: see skipped.csv" in said


def test_a_skipped_name_that_looks_like_a_formula_stays_text_in_skipped_csv(crm, tmp_path):
    prospect = AccountFactory(name="=cmd|' /C calc'!A0", external_id=None)
    _opportunity(prospect, "=SUM(A1:A9)", close_date=TODAY)
    export(tmp_path / "out", "--since", "all")
    row = read(tmp_path / "out" / "skipped.csv")[0]
    assert row["name"] == "'=SUM(A1:A9)"  # skipped.csv is read in a spreadsheet


def test_territory_activities_go_as_the_owners_tasks(crm, tmp_path):
    sam = crm.sam
    year = TODAY.year + 1
    plan = ts.territory_plan_create(user=sam, rep=sam, fiscal_year=year)
    plan = ts.facts_review(user=sam, plan=plan, note="")
    strategy = ts.strategy_save(
        user=sam,
        plan=plan,
        data={
            "title": "Partner webinars",
            "leverages": ["partners"],
            "target_tiers": ["A"],
            "first_month": datetime.date(year, 1, 1),
            "last_month": datetime.date(year, 6, 1),
        },
    )
    activity = ts.activity_save(
        user=sam,
        plan=plan,
        data={
            "strategy": strategy,
            "title": 'Webinar, "Energy" edition',
            "owner": sam,
            "due_date": datetime.date(year, 3, 10),
            "effort_hours": "8",
        },
    )
    export(tmp_path / "out", "--since", "all")
    tasks = {r["Keyplan_Id__c"]: r for r in read(tmp_path / "out" / "Task.csv")}
    row = tasks[f"kp-activity-{activity.pk}"]
    assert (row["Subject"], row["WhatId"], row["OwnerId"], row["ActivityDate"]) == (
        'Webinar, "Energy" edition',
        "",
        sam.external_id,
        f"{year}-03-10",
    )
    assert "Strategy: Partner webinars" in row["Description"]
