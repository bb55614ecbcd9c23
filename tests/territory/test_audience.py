"""Audience white space: known, engaged and missing stakeholder roles."""

import datetime

import pytest

from keyplan.territory.analysis.audience import audience
from keyplan.territory.models import StakeholderRole
from tests.conftest import login
from tests.factories import ContactFactory, InteractionFactory, ProductLineFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def roles():
    finance = ProductLineFactory(name="Finance suite", is_core=True)
    training = ProductLineFactory(name="Training", is_core=False)
    return [
        StakeholderRole.objects.create(
            product_line=finance, name="CFO", title_keywords="Chief Financial Officer, CFO"
        ),
        StakeholderRole.objects.create(
            product_line=finance, name="Controller", function="Finance", seniority="director"
        ),
        StakeholderRole.objects.create(
            product_line=training, name="HR head", title_keywords="HR Director"
        ),
    ]


def test_known_engaged_and_missing(roles, org):
    cfo = ContactFactory(
        account=org.mine, title="Group CFO", function="Finance", seniority="c_level"
    )
    ContactFactory(
        account=org.mine, title="Controller", function="Finance", seniority="manager"
    )  # seniority does not match: not the role
    ContactFactory(account=org.mine, title="HR Director", is_active=False)  # has left
    met = InteractionFactory(account=org.mine, date=TODAY - datetime.timedelta(days=30))
    met.contacts.add(cfo)
    result = audience(user=org.rep, as_of=TODAY)
    mine = next(a for a in result.accounts if a.name == "Mine Group")
    finance = next(c for c in mine.lines if c.line == "Finance suite")
    assert (finance.roles, finance.known, finance.engaged) == (2, 1, 1)
    assert finance.missing == ["Controller"]
    training = next(c for c in mine.lines if c.line == "Training")
    assert training.known == 0 and training.missing == ["HR head"]
    # Rep sees two accounts (group and division): 1 of 4 finance roles known overall.
    assert result.totals["Finance suite"]["coverage"] == 0.25
    assert result.totals["other lines"]["coverage"] == 0.0


def test_old_interactions_do_not_count_as_engaged(roles, org):
    cfo = ContactFactory(account=org.mine, title="CFO")
    old = InteractionFactory(account=org.mine, date=TODAY - datetime.timedelta(days=400))
    old.contacts.add(cfo)
    mine = next(a for a in audience(user=org.rep, as_of=TODAY).accounts if a.name == "Mine Group")
    finance = next(c for c in mine.lines if c.line == "Finance suite")
    assert finance.known == 1 and finance.engaged == 0


def test_pages(client, roles, org):
    client.force_login(org.rep)
    page = client.get("/territory/audience/")
    assert page.status_code == 200 and "Mine Group" in page.content.decode()
    assert "Theirs Inc" not in page.content.decode()
    assert client.post("/territory/audience/", {"name": "X"}).status_code == 403
    account_page = client.get(f"/accounts/{org.mine.pk}/").content.decode()
    assert "Stakeholders we do not know yet" in account_page and "Controller" in account_page
    client.force_login(org.ops)
    client.post(
        "/territory/audience/",
        {"product_line": roles[0].product_line_id, "name": "CEO", "title_keywords": "CEO"},
    )
    assert StakeholderRole.objects.filter(name="CEO").exists()
    client.post(
        "/territory/audience/", {"product_line": roles[0].product_line_id, "name": "Nobody"}
    )
    assert not StakeholderRole.objects.filter(name="Nobody").exists()


def test_api_and_command(api_client, roles, org):
    import json
    from io import StringIO

    from django.core.management import call_command

    ContactFactory(account=org.theirs, title="CFO")
    api_client.force_authenticate(org.rep)
    data = api_client.get("/api/v1/analyses/audience/").json()
    assert {a["name"] for a in data["results"]} == {"Mine Group", "Mine Division"}
    out = StringIO()
    call_command("analyze", "audience", "--json", stdout=out)
    accounts = {a["account"]: a for a in json.loads(out.getvalue())["accounts"]}
    theirs = next(
        line for line in accounts["Theirs Inc"]["lines"] if line["line"] == "Finance suite"
    )
    assert theirs["known"] == 1 and theirs["missing"] == ["Controller"]


def test_least_covered_accounts_come_first(client, roles, org):
    """The matrix page starts with the accounts where we know the fewest stakeholders."""
    ContactFactory(account=org.mine, title="CFO")
    ContactFactory(account=org.mine, title="HR Director")
    ContactFactory(account=org.teammate, title="CFO")
    result = audience(user=org.ops, as_of=TODAY)
    ranked = [(a.name, round(a.coverage, 2)) for a in result.accounts.by_coverage()]
    assert ranked[-2:] == [("Teammate Corp", 0.33), ("Mine Group", 0.67)]
    assert {name for name, coverage in ranked[:-2]} == {"Mine Division", "Theirs Inc"}
    assert [a.name for a in result.accounts[:2]] == ["Mine Division", "Mine Group"]  # by name
    page = login(client, org.ops).get("/territory/audience/").content.decode()
    assert page.index("Theirs Inc") < page.index("Teammate Corp") < page.index("Mine Group")


def test_every_matching_title_counts_however_many_distinct_titles_there_are(
    roles, org, monkeypatch
):
    """Contacts are read a batch of distinct title / function / seniority profiles at a
    time: a territory with more profiles than one batch loses none of them."""
    from keyplan.territory.analysis import audience as module

    monkeypatch.setattr(module, "_PROFILES_PER_QUERY", 2)
    ContactFactory(account=org.mine, title="Group CFO")
    ContactFactory(account=org.mine_child, title="CFO Europe")
    ContactFactory(account=org.teammate, title="Deputy CFO")
    ContactFactory(account=org.theirs, title="HR Director")
    ContactFactory(account=org.theirs, title="Controller", function="Finance", seniority="director")
    ContactFactory(account=org.theirs, title="Receptionist")  # fills no role
    result = audience(user=None, as_of=TODAY)
    known = {a.name: sum(c.known for c in a.lines) for a in result.accounts}
    assert known == {"Mine Group": 1, "Mine Division": 1, "Teammate Corp": 1, "Theirs Inc": 2}
    assert result.totals["Finance suite"]["coverage"] == 4 / 8
    assert result.totals["Training"]["coverage"] == 1 / 4


def test_only_people_who_see_every_account_skip_the_account_filter(roles, org):
    """Analyses leave out the filter by account only for the whole territory seen by
    someone who sees everything; a rep's or a manager's figures stay limited to theirs."""
    from keyplan.territory.analysis.params import Scope

    assert Scope().everything(None) and Scope().everything(org.executive)
    assert not Scope().everything(org.rep) and not Scope().everything(org.manager)
    assert not Scope("industry", "Energy").everything(org.executive)
    ContactFactory(account=org.theirs, title="CFO")  # not the rep's
    ContactFactory(account=org.mine, title="HR Director")
    mine = audience(user=org.rep, as_of=TODAY)
    assert {a.name for a in mine.accounts} == {"Mine Group", "Mine Division"}
    assert mine.totals["Finance suite"]["coverage"] == 0.0  # the other rep's CFO not counted
    everyone = audience(user=org.executive, as_of=TODAY)
    assert everyone.totals["Finance suite"]["coverage"] == 1 / (2 * len(everyone.accounts))


@pytest.mark.parametrize("who", ["ops", "rep"])  # every account, and a rep's part
def test_a_territory_may_define_more_roles_than_fit_in_a_machine_word(org, who):
    """Roles are bits of one mask per account, of any width: 70 roles on one line, the
    contacts at either end of the mask known, the last one engaged."""
    line = ProductLineFactory(name="Everything", is_core=True)
    for i in range(70):
        StakeholderRole.objects.create(
            product_line=line, name=f"Role {i:02d}", title_keywords=f"Title{i:02d}x"
        )
    ContactFactory(account=org.mine, title="Title00x")
    last = ContactFactory(account=org.mine, title="Title69x")
    met = InteractionFactory(account=org.mine, date=TODAY - datetime.timedelta(days=3))
    met.contacts.add(last)
    result = audience(user=getattr(org, who), as_of=TODAY)
    mine = next(a for a in result.accounts if a.name == "Mine Group")
    (everything,) = mine.lines
    assert (everything.roles, everything.known, everything.engaged) == (70, 2, 1)
    assert "Role 00" not in everything.missing and "Role 69" not in everything.missing
    assert len(everything.missing) == 68
