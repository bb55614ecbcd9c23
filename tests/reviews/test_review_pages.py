"""The review pages: the manager schedules the quarter from keyplan's proposal and runs a
sitting in review mode; the rep reads their sittings; anyone else gets a 404."""

import pytest
from django.utils import timezone

from keyplan.plans.models import Action
from keyplan.reviews import services
from keyplan.reviews.models import ReviewSitting
from tests.reviews.conftest import BEFORE_Q1, MON, Q1, at, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: BEFORE_Q1)


def _proposal_post(page_html: str, *, quarter="Q1 FY 2027", **override) -> dict:
    """The schedule form as the page fills it, with ``override`` (name → value)."""
    import re

    data = {"quarter": quarter, "rep": []}
    for name, value in re.findall(r'name="(r\d+-\w+)"[^>]*?value="([^"]*)"', page_html):
        data[name] = value
    data["rep"] = sorted(set(re.findall(r'name="rep" value="(\d+)"', page_html)))
    data.update(override)
    return data


def test_the_manager_confirms_the_proposed_schedule(client, team):
    client.force_login(team.manager)
    page = client.get("/reviews/?quarter=Q1+FY+2027")
    assert page.status_code == 200
    words = text(page)
    assert "Quarterly reviews · Q1 FY 2027" in words
    assert "2 plans: Atlas Freight, Mine Group" in words
    done = client.post("/reviews/schedule/", _proposal_post(page.content.decode()))
    assert done.status_code == 302
    sittings = {s.rep.username: s for s in ReviewSitting.objects.select_related("rep")}
    assert set(sittings) == {"rep", "rep2"}
    assert sorted(s.minutes for s in sittings.values()) == [30, 60]
    after = text(client.get(done["Location"]))
    assert "Scheduled 2 sittings for Q1 FY 2027" in after
    assert "Scheduled: 2027-01-04 09:00" in after


def test_a_refused_row_schedules_nothing_and_keeps_what_was_typed(client, team):
    client.force_login(team.manager)
    html = client.get("/reviews/?quarter=Q1+FY+2027").content.decode()
    data = _proposal_post(html)
    rep_prefix, rep2_prefix = f"r{team.rep.pk}", f"r{team.rep2.pk}"
    # Both at 09:00 on the same Monday: the second overlaps the first.
    data[f"{rep_prefix}-day"] = data[f"{rep2_prefix}-day"] = "2027-01-04"
    data[f"{rep_prefix}-time"] = data[f"{rep2_prefix}-time"] = "09:00"
    data[f"{rep2_prefix}-location"] = "Board room <b>2</b>"
    refused = client.post("/reviews/schedule/", data)
    assert refused.status_code == 400
    assert "overlaps" in text(refused)
    assert "Board room &lt;b&gt;2&lt;/b&gt;" in refused.content.decode()
    assert not ReviewSitting.objects.exists()


def _scheduled(team):
    return services.sitting_schedule(
        user=team.manager, rep=team.rep, period=Q1, starts_at=at(MON, 10)
    )


def test_the_manager_runs_a_sitting_in_review_mode(client, team):
    sitting = _scheduled(team)
    atlas, mine = sitting.items.order_by("order")
    client.force_login(team.manager)
    first = client.get(f"/reviews/{sitting.pk}/run/")
    words = text(first)
    assert "Plan 1 of 2" in words and "Atlas Freight" in words
    assert "What changed since the last review" in words and "Health" in words
    saved = client.post(
        f"/reviews/{sitting.pk}/outcome/",
        {"item": atlas.pk, "version": 1, "outcome": "at_risk", "decisions": "<script>x</script>"},
    )
    assert saved.status_code == 302 and saved["Location"].endswith("?step=2")
    added = client.post(
        f"/reviews/{sitting.pk}/action/",
        {
            "item": mine.pk,
            "title": "Send the pilot proposal",
            "owner": team.rep.pk,
            "due_date": "2027-02-01",
            "effort_hours": "2",
        },
    )
    assert added.status_code == 302
    assert Action.objects.get(plan=team.plan_mine).title == "Send the pilot proposal"
    refused = client.post(f"/reviews/{sitting.pk}/close/", {"version": sitting.version})
    assert "Mine Group has none yet" in text(client.get(refused["Location"]))
    client.post(
        f"/reviews/{sitting.pk}/outcome/", {"item": mine.pk, "version": 1, "outcome": "on_track"}
    )
    closed = client.post(f"/reviews/{sitting.pk}/close/", {"version": sitting.version})
    assert closed["Location"] == f"/reviews/{sitting.pk}/"
    page = client.get(closed["Location"])
    assert "Held" in text(page)
    review = client.get(f"/reviews/{sitting.pk}/run/?step=1").content.decode()
    assert "&lt;script&gt;x&lt;/script&gt;" in review and "<script>x" not in review


def test_the_rep_reads_their_sitting_and_cannot_change_it(client, team):
    sitting = _scheduled(team)
    atlas = sitting.items.order_by("order").first()
    client.force_login(team.rep)
    page = client.get(f"/reviews/{sitting.pk}/run/")
    assert page.status_code == 200
    assert 'data-testid="save-outcome"' not in page.content.decode()
    assert "Your own plans are reviewed by your manager" in text(page)
    refused = client.post(
        f"/reviews/{sitting.pk}/outcome/", {"item": atlas.pk, "version": 1, "outcome": "on_track"}
    )
    assert refused.status_code == 403
    assert client.post(f"/reviews/{sitting.pk}/close/", {"version": 1}).status_code == 403
    sitting.refresh_from_db()
    assert sitting.status == "scheduled"
    assert "Your reviews" in text(client.get("/reviews/?quarter=Q1+FY+2027"))


@pytest.mark.parametrize("who, status", [("rep2", 404), ("other", 404), ("executive", 200)])
def test_others_see_it_only_when_they_see_everything(client, team, who, status):
    sitting = _scheduled(team)
    client.force_login(getattr(team, who))
    assert client.get(f"/reviews/{sitting.pk}/").status_code == status
    assert client.get(f"/reviews/{sitting.pk}/run/").status_code == status
    if status == 200:
        assert (
            'data-testid="save-outcome"'
            not in client.get(f"/reviews/{sitting.pk}/run/").content.decode()
        )


def test_a_quarter_typed_wrong_says_what_is_expected(client, team):
    client.force_login(team.manager)
    page = client.get("/reviews/?quarter=FY+2027")
    assert "Reviews are quarterly: “FY 2027” is a year." in text(page)
