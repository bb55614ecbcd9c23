"""The plan's files show what the rest of the company committed to (function, scope, the
dates it holds, who committed and when, its status; one asked and not answered yet is
marked as asked) and the discussion (open comment threads with the authors' names and
dates, @mentions written as names); the board deck shows the commitments and no comment.
A thread on a part since removed is not exported."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.outputs.content import ask_in_words, plan_document
from keyplan.outputs.export import export_plan
from keyplan.outputs.review_pack import review_pack
from keyplan.plans import services
from keyplan.plans.models import Comment
from keyplan.plans.services.comments import comment_add
from keyplan.salesplan.periods import Period
from tests.outputs.conftest import deck_texts, pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = timezone.localdate().isoformat()  # the comments' and the answer's day


@pytest.fixture
def worked(org, plan):
    """The plan worked on with the company: delivery committed (by Max Moreno) to two
    engineers on site from 2027-03-01 to 2027-04-15; finance asked for a credit line
    (Ravi Rao, not answered yet); comments on the plan and on an idea, one mentioning
    Max Moreno; a comment on an action that was removed since."""
    org.manager.first_name, org.manager.last_name = "Max", "Moreno"
    org.manager.save()
    org.rep2.first_name, org.rep2.last_name = "Ravi", "Rao"
    org.rep2.save()
    committed = services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        help_kind="commitment",
        what="Roll-out team for the pilot",
        asked_of=org.manager,
        needed_by=D(2027, 2, 1),
        function="delivery",
        scope="Two engineers on site for six weeks",
        committed_from=D(2027, 3, 1),
        committed_to=D(2027, 4, 15),
    )
    services.help_respond(request=committed, user=org.manager, commit=True, response="Booked.")
    services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        help_kind="commitment",
        what="Credit line for the expansion",
        asked_of=org.rep2,
        needed_by=D(2027, 5, 1),
        function="finance",
        scope="Net-60 terms on the second phase",
        committed_from=D(2027, 7, 1),
        committed_to=D(2027, 12, 31),
    )
    idea = plan.ideas.get(title="Finance data platform")
    comment_add(plan=plan, user=org.rep, text="Board wants the pilot priced by March.")
    comment_add(
        plan=plan,
        user=org.rep,
        subject="idea",
        object_id=idea.pk,
        text="@manager can delivery staff this before the audit?",
    )
    comment_add(
        plan=plan,
        user=org.manager,
        subject="idea",
        object_id=idea.pk,
        text="Yes, if finance signs the credit line.",
    )
    action = plan.actions.get(title="Meet the CFO")
    comment_add(
        plan=plan, user=org.rep, subject="action", object_id=action.pk, text="Removed thread"
    )
    action.delete()
    assert Comment.objects.filter(plan=plan).count() == 4
    return plan


def test_markdown_has_the_commitments_and_the_discussion(org, worked):
    text = export_plan(plan=worked, user=org.rep, fmt="md").content.decode()
    section = text.split("## Commitments from the company\n\n", 1)[1].split("\n## ")[0]
    assert (
        "- Delivery: Two engineers on site for six weeks (Roll-out team for the pilot), "
        f"holds 2027-03-01 to 2027-04-15 · committed by Max Moreno on {TODAY} — “Booked.”"
    ) in section
    assert (
        "- Finance: Net-60 terms on the second phase (Credit line for the expansion), "
        "holds 2027-07-01 to 2027-12-31 · asked of Ravi Rao, not committed yet (answer "
        "wanted by 2027-05-01)"
    ) in section
    # The delivery commitment (committed) before the finance one (asked).
    assert section.index("Delivery") < section.index("Finance")
    # Not repeated as an ask of leadership.
    asks = text.split("## Asks of leadership", 1)[1].split("\n## ")[0]
    assert "Credit line" not in asks and "Roll-out team" not in asks
    discussion = text.split("## Discussion\n\n", 1)[1]
    assert "### The plan\n\n- **Amir Becker**, " + TODAY + ": Board wants the pilot" in discussion
    assert "### Idea: Finance data platform" in discussion
    assert "- **Amir Becker**, " + TODAY + ": @Max Moreno can delivery staff this" in discussion
    assert "- **Max Moreno**, " + TODAY + ": Yes, if finance signs the credit line." in discussion
    assert "@manager" not in text and "Removed thread" not in text


def test_workbook_has_a_commitments_and_a_discussion_sheet(org, worked):
    import openpyxl

    book = openpyxl.load_workbook(
        io.BytesIO(export_plan(plan=worked, user=org.rep, fmt="xlsx").content)
    )
    assert book.sheetnames[-3:] == ["commitments", "risks and asks", "discussion"]
    rows = [[c.value for c in r] for r in book["commitments"].iter_rows(min_row=2)]
    assert rows[0][:9] == [
        "Delivery",
        "Roll-out team for the pilot",
        "Two engineers on site for six weeks",
        datetime.datetime(2027, 3, 1),
        datetime.datetime(2027, 4, 15),
        "Max Moreno",
        "Max Moreno",
        datetime.datetime.fromisoformat(TODAY),
        "committed",
    ]
    assert rows[0][9] == "Booked."
    assert (
        rows[1][0] == "Finance"
        and rows[1][6] is None
        and rows[1][8] == ("asked, not committed yet")
    )
    holds = book["commitments"]["D2"]
    assert holds.is_date and holds.number_format == "yyyy-mm-dd"
    talk = [[c.value for c in r] for r in book["discussion"].iter_rows(min_row=2)]
    assert [(r[0], r[1], r[3]) for r in talk] == [
        ("The plan", "Amir Becker", "Board wants the pilot priced by March."),
        (
            "Idea: Finance data platform",
            "Amir Becker",
            "@Max Moreno can delivery staff this before the audit?",
        ),
        ("Idea: Finance data platform", "Max Moreno", "Yes, if finance signs the credit line."),
    ]
    assert talk[0][2] == datetime.datetime.fromisoformat(TODAY)
    asks = [r[2].value for r in book["risks and asks"].iter_rows(min_row=2)]
    assert not any("Credit line" in (a or "") for a in asks)


def test_pdf_has_the_commitments_and_the_discussion(org, worked):
    text = " ".join(pdf_text(export_plan(plan=worked, user=org.rep, fmt="pdf").content).split())
    assert "Commitments from the company" in text
    assert "Delivery: Two engineers on site for six weeks" in text
    assert "holds 2027-03-01 to 2027-04-15 · committed by Max Moreno on " + TODAY in text
    assert "asked of Ravi Rao, not committed yet (answer wanted by 2027-05-01)" in text
    assert "Discussion" in text
    assert f"Max Moreno, {TODAY}: Yes, if finance signs the credit line." in text
    assert "@Max Moreno can delivery staff this before the audit?" in text
    assert "@manager" not in text and "Removed thread" not in text


def test_deck_has_one_commitments_slide_and_no_comments(org, worked):
    texts = deck_texts(export_plan(plan=worked, user=org.rep, fmt="pptx").content)
    titles = [t.split("\n")[0] for t in texts]
    assert titles[-2:] == ["Commitments from the company", "Risks and asks of leadership"]
    slide = texts[-2]
    assert "Two engineers on site for six weeks" in slide and "2027-03-01 to 2027-04-15" in slide
    assert f"committed by Max Moreno on {TODAY}" in slide
    assert "Net-60 terms on the second phase" in slide
    assert "asked of Ravi Rao, not committed yet" in slide
    everything = "\n".join(texts)
    for said in ("Board wants the pilot", "can delivery staff this", "finance signs"):
        assert said not in everything


def test_a_plan_without_commitments_or_comments_says_so(org, plan):
    text = export_plan(plan=plan, user=org.rep, fmt="md").content.decode()
    assert "*No commitment asked of delivery, manufacturing or finance.*" in text
    assert "## Discussion" not in text
    titles = [
        t.split("\n")[0]
        for t in deck_texts(export_plan(plan=plan, user=org.rep, fmt="pptx").content)
    ]
    assert "Commitments from the company" not in titles


def test_a_plain_request_for_help_stays_an_ask(org, plan):
    services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        what="A solution architect for the demo",
        asked_of=org.rep2,
        needed_by=D(2027, 2, 1),
        hours=Decimal("16"),
    )
    text = export_plan(plan=plan, user=org.rep, fmt="md").content.decode()
    assert "**Help:** A solution architect for the demo" in text
    section = text.split("## Commitments from the company", 1)[1].split("\n## ")[0]
    assert "solution architect" not in section


def test_a_commitment_not_answered_yet_is_a_decision_waiting_in_the_review_pack(org, sitting):
    services.element_save(
        kind="help",
        plan=sitting,
        user=org.rep,
        help_kind="commitment",
        what="Credit line for the expansion",
        asked_of=org.rep2,
        needed_by=D(2027, 5, 1),
        function="finance",
        scope="Net-60 terms",
        committed_from=D(2027, 7, 1),
        committed_to=D(2027, 12, 31),
    )
    pack = review_pack(rep=org.rep, quarter=Period(2027, 1), user=org.manager)
    waiting = next(p for p in pack.plans if p.doc.plan.pk == sitting.pk).decisions
    assert [ask_in_words(a) for a in waiting][-1] == (
        "Commitment: Finance: Credit line for the expansion — asked of Ravi Rao, "
        "answer by 2027-05-01 (requested)"
    )


def test_many_long_commitments_continue_on_further_slides_and_fit(org, plan):
    from keyplan.outputs.deck import Deck
    from tests.outputs.test_deck_fits import assert_fits

    long = "Two engineers on site for the roll-out at every plant, then remote support " * 4
    for n in range(9):
        services.element_save(
            kind="help",
            plan=plan,
            user=org.rep,
            help_kind="commitment",
            what=f"Roll-out wave {n}",
            asked_of=org.manager,
            needed_by=D(2027, 2, 1),
            function="manufacturing",
            scope=f"Wave {n}: " + long,
            committed_from=D(2027, 3, 1 + n),
            committed_to=D(2027, 4, 15),
        )
    deck = Deck(plan_document(plan, org.rep)).build()
    content = deck.save()
    titles = [t.split("\n")[0] for t in deck_texts(content)]
    pages = [t for t in titles if t.startswith("Commitments from the company")]
    assert len(pages) >= 2 and pages[0] == f"Commitments from the company (1 of {len(pages)})"
    assert_fits(deck, content)


def test_more_comments_and_commitments_read_no_more_queries(org, worked):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    plan_document(worked, org.rep)  # caches warm
    with CaptureQueriesContext(connection) as few:
        plan_document(worked, org.rep)
    idea = worked.ideas.get(title="Close automation")
    for n in range(6):
        comment_add(
            plan=worked,
            user=org.manager,
            subject="idea",
            object_id=idea.pk,
            text=f"@rep point {n}",
        )
        services.element_save(
            kind="help",
            plan=worked,
            user=org.rep,
            help_kind="commitment",
            what=f"Wave {n}",
            asked_of=org.manager,
            needed_by=D(2027, 2, 1),
            function="delivery",
            scope=f"Wave {n} scope",
            committed_from=D(2027, 3, 1),
            committed_to=D(2027, 4, 15),
        )
    with CaptureQueriesContext(connection) as more:
        doc = plan_document(worked, org.rep)
    assert len(doc.commitments) == 8 and sum(len(d.remarks) for d in doc.discussion) == 9
    assert len(more.captured_queries) == len(few.captured_queries)


def test_a_declined_commitment_says_so_with_the_reason(org, plan):
    org.rep2.first_name, org.rep2.last_name = "Ravi", "Rao"
    org.rep2.save()
    request = services.element_save(
        kind="help",
        plan=plan,
        user=org.rep,
        help_kind="commitment",
        what="Second production line",
        asked_of=org.rep2,
        needed_by=D(2027, 2, 1),
        function="manufacturing",
        scope="Reserve line 2 for the customer's ramp-up",
        committed_from=D(2027, 6, 1),
        committed_to=D(2027, 9, 30),
    )
    services.help_respond(
        request=request, user=org.rep2, commit=False, response="No capacity in Q3."
    )
    text = export_plan(plan=plan, user=org.rep, fmt="md").content.decode()
    assert (
        "- Manufacturing: Reserve line 2 for the customer's ramp-up (Second production "
        f"line), holds 2027-06-01 to 2027-09-30 · asked of Ravi Rao, declined on {TODAY} "
        "— “No capacity in Q3.”"
    ) in text
    doc = plan_document(plan, org.rep)
    assert [c.status for c in doc.commitments] == ["declined"]
    assert not [a for a in doc.asks if "production line" in a.what]
