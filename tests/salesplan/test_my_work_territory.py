"""My work lists the user's open territory-plan activities beside their account-plan
actions — overdue, this week, the next 30 days — linked to the territory plan."""

import datetime

from django.urls import reverse

from keyplan.salesplan.territory import services as ts
from tests.salesplan.test_territory_steps import FY, strategy

TODAY = datetime.date(FY, 6, 15)


def test_territory_activities_are_in_my_work(org, client, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    plan = ts.territory_plan_create(user=org.rep, rep=org.rep, fiscal_year=FY)
    plan = ts.facts_review(user=org.rep, plan=plan)
    webinars = strategy(org, plan, "Partner webinars", last_month=datetime.date(FY, 12, 1))

    def activity(title, days, owner=org.rep, **extra):
        data = {
            "strategy": webinars,
            "title": title,
            "owner": owner,
            "due_date": TODAY + datetime.timedelta(days=days),
            "effort_hours": "2",
        }
        return ts.activity_save(user=org.rep, plan=plan, data=data | extra)

    activity("Late partner call", -2)
    activity("Webinar dry run", 3)
    activity("Partner roadshow", 20)
    activity("Far future", 60)
    activity("Already done", -1, status="done")
    activity("SDR outreach", 2, owner=org.other)
    client.force_login(org.rep)
    html = client.get("/my-work/").content.decode()
    card = html.split('data-testid="work-territory"')[1].split("</section>")[0]

    def group(key):
        return card.split(f'data-testid="territory-{key}"')[1].split("</ul>")[0]

    assert "Late partner call" in group("overdue") and "Webinar dry run" not in group("overdue")
    assert "Webinar dry run" in group("week")
    assert "Partner roadshow" in group("month")
    assert "Far future" not in card and "Already done" not in card
    # What is due after the 30 days is counted, so that a quiet month is not read as none.
    later = TODAY + datetime.timedelta(days=60)
    assert f"1 more later, the first due {later:%Y-%m-%d}." in card
    assert "SDR outreach" not in card  # someone else's
    assert 'Territory plan activities <span class="muted">(3)</span>' in card
    link = reverse("territory_plan", args=[plan.pk])
    assert f'<a href="{link}#activities">FY {FY} plan of {org.rep}</a>: Webinar dry run' in card

    # The person named as owner sees their activity, without a link to a plan they may
    # not open; once the plan is archived it leaves My work.
    # The API's My work holds the same, in the same groups.
    api = client.get("/api/v1/my-work/").json()
    assert [a["title"] for a in api["territory_overdue"]] == ["Late partner call"]
    assert [a["title"] for a in api["territory_this_week"]] == ["Webinar dry run"]
    assert [a["title"] for a in api["territory_next_30"]] == ["Partner roadshow"]
    week = api["territory_this_week"][0]
    assert week["strategy"] == "Partner webinars" and week["rep"] == str(org.rep)
    assert week["url"] == link and week["territory_plan"] == plan.pk

    client.force_login(org.other)
    other_card = client.get("/my-work/").content.decode().split('data-testid="work-territory"')[1]
    other_card = other_card.split("</section>")[0]
    assert f"FY {FY} plan of {org.rep}: SDR outreach" in other_card and link not in other_card
    ts.territory_plan_archive(user=org.rep, plan=plan)
    assert "SDR outreach" not in client.get("/my-work/").content.decode()
