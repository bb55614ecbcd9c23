"""/api/v1/territory-plans/: a rep builds their plan through the API in Conti's order;
who may see and change it is the pages' rule (404 for a plan one may not see, 403 with
the reason for a reader), a change needs the version it was made from (428 without, 409
when stale), and the detail holds the whole plan with its steps."""

from keyplan.salesplan.models import TerritoryPlan

BASE = "/api/v1/territory-plans/"


def test_a_rep_builds_their_plan_in_order(api_client, org):
    api_client.force_authenticate(org.rep)
    created = api_client.post(BASE, {"rep": org.rep.pk, "fiscal_year": 2027}, format="json")
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert (plan["rep_name"], plan["status"], plan["step"]) == (
        str(org.rep),
        "draft",
        "Step 1 of 5: Facts",
    )
    again = api_client.post(BASE, {"rep": org.rep.pk, "fiscal_year": 2027}, format="json")
    assert again.status_code == 400 and "already has a territory plan for FY 2027" in str(
        again.json()
    )
    url = f"{BASE}{plan['id']}/"
    strategy = {
        "title": "Partner webinars",
        "leverages": ["partners"],
        "target_tiers": ["A"],
        "target_account_ids": [org.mine.pk],
        "first_month": "2027-01-01",
        "last_month": "2027-06-01",
    }
    early = api_client.post(f"{url}strategies/", strategy, format="json")
    assert early.status_code == 400
    assert early.json() == {"step": ["Strategies open once the facts have been read."]}
    read = api_client.post(
        f"{url}facts-review/", {"note": "A accounts", "version": 1}, format="json"
    )
    assert read.status_code == 200 and read.json()["step"] == "Step 2 of 5: Strategies"
    s = api_client.post(f"{url}strategies/", strategy, format="json").json()
    person = api_client.post(
        f"{url}resources/",
        {"strategy": s["id"], "person": org.rep2.pk, "hours_per_month": "12.5"},
        format="json",
    )
    assert person.status_code == 201, person.json()
    a = api_client.post(
        f"{url}activities/",
        {
            "strategy": s["id"],
            "title": "Webinar",
            "owner": org.rep.pk,
            "due_date": "2027-03-10",
            "effort_hours": "8",
        },
        format="json",
    )
    assert a.status_code == 201, a.json()
    o = api_client.post(
        f"{url}objectives/",
        {"kind": "revenue_tier", "dimension": "A", "target": "2400000", "strategies": [s["id"]]},
        format="json",
    )
    assert o.status_code == 201 and o.json()["title"] == "Revenue from A accounts"
    g = api_client.post(f"{url}goals/", {"text": "Partner of record"}, format="json")
    assert g.status_code == 201
    detail = api_client.get(url).json()
    assert [st["done"] for st in detail["steps"]] == [True] * 5
    assert detail["strategies"][0]["resources"][0]["person_name"] == str(org.rep2)
    assert detail["strategies"][0]["target_accounts"] == [org.mine.pk]
    assert [x["title"] for x in detail["activities"]] == ["Webinar"]
    assert [x["target"] for x in detail["objectives"]] == ["2400000.00"]
    assert [x["text"] for x in detail["goals"]] == ["Partner of record"]
    active = api_client.post(f"{url}activate/", {"version": detail["version"]}, format="json")
    assert active.status_code == 200 and active.json()["status"] == "active"
    kept = api_client.get(f"{url}versions/").json()["results"]
    assert [(v["number"], v["reason"]) for v in kept] == [(1, "activated")]
    trail = api_client.get(f"{url}changes/").json()["results"]
    assert trail[-1]["what"] == "started the territory plan"


def _plan_with_strategy(api_client, org):
    api_client.force_authenticate(org.rep)
    plan = api_client.post(BASE, {"rep": org.rep.pk, "fiscal_year": 2027}, format="json").json()
    url = f"{BASE}{plan['id']}/"
    api_client.post(f"{url}facts-review/", {"version": 1}, format="json")
    s = api_client.post(
        f"{url}strategies/",
        {"title": "Partner webinars", "first_month": "2027-01-01", "last_month": "2027-06-01"},
        format="json",
    ).json()
    return url, s


def test_a_change_needs_its_version_and_a_stale_one_is_409(api_client, org):
    url, s = _plan_with_strategy(api_client, org)
    item = f"{url}strategies/{s['id']}/"
    assert api_client.patch(item, {"title": "Roadshows"}, format="json").status_code == 428
    ok = api_client.patch(item, {"title": "Roadshows", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.json()["version"] == 2 and ok["ETag"] == '"2"'
    stale = api_client.patch(item, {"title": "Events", "version": 1}, format="json")
    assert stale.status_code == 409
    assert "saved this strategy at" in stale.json()["detail"]
    assert "(title: “Partner webinars” → “Roadshows”)" in stale.json()["detail"]
    assert api_client.delete(item).status_code == 428
    assert api_client.delete(f"{item}?version=2").status_code == 204


def test_who_sees_and_who_changes_through_the_api(api_client, org):
    url, s = _plan_with_strategy(api_client, org)
    api_client.force_authenticate(org.other)  # a rep of another team: the plan does not exist
    assert api_client.get(url).status_code == 404
    assert api_client.get(f"{url}strategies/").status_code == 404
    assert api_client.get(BASE).json()["count"] == 0
    api_client.force_authenticate(org.executive)  # reads, may not change
    assert api_client.get(url).status_code == 200
    refused = api_client.post(f"{url}goals/", {"text": "Exec goal"}, format="json")
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        f"Only {org.rep} and their managers (or sales operations) change {org.rep}'s "
        "territory plan; you can read it."
    )
    api_client.force_authenticate(org.manager)  # the rep's manager changes it
    renamed = api_client.patch(
        f"{url}strategies/{s['id']}/", {"title": "Manager's wording", "version": 1}, format="json"
    )
    assert renamed.status_code == 200
    assert [p["rep_name"] for p in api_client.get(BASE).json()["results"]] == [str(org.rep)]


def test_the_list_makes_no_query_per_plan(api_client, org, django_assert_max_num_queries):
    from keyplan.salesplan.territory import services as ts

    for rep in (org.rep, org.rep2, org.other):
        ts.territory_plan_create(user=org.ops, rep=rep, fiscal_year=2027)
    api_client.force_authenticate(org.ops)
    with django_assert_max_num_queries(12) as one:
        assert api_client.get(BASE).json()["count"] == 3
    assert TerritoryPlan.objects.count() == 3
    for n in range(3):
        rep = type(org.rep).objects.create(username=f"extra{n}")
        ts.territory_plan_create(user=org.ops, rep=rep, fiscal_year=2027)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert api_client.get(BASE).json()["count"] == 6


def test_a_part_is_added_to_the_plan_in_the_address_only(api_client, org):
    from keyplan.salesplan.models import StrategyResource
    from keyplan.salesplan.territory import services as ts

    url, s = _plan_with_strategy(api_client, org)
    other = ts.territory_plan_create(user=org.manager, rep=org.rep2, fiscal_year=2027)
    other = ts.facts_review(user=org.manager, plan=other)
    theirs = ts.strategy_save(
        user=org.manager,
        plan=other,
        data={"title": "Theirs", "first_month": "2027-01-01", "last_month": "2027-02-01"},
    )
    api_client.force_authenticate(org.manager)  # may change both plans
    wrong = api_client.post(
        f"{url}resources/",
        {"strategy": theirs.pk, "person": org.rep.pk, "hours_per_month": "5"},
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.json() == {"strategy": ["Strategy “Theirs” is not one of this plan's."]}
    activity = api_client.post(
        f"{url}activities/",
        {
            "strategy": theirs.pk,
            "title": "Call",
            "owner": org.rep.pk,
            "due_date": "2027-03-01",
            "effort_hours": "1",
        },
        format="json",
    )
    assert activity.status_code == 400
    assert activity.json() == {"strategy": ["Strategy “Theirs” is not one of this plan's."]}
    assert not StrategyResource.objects.exists()
