"""What the activity feed and the version comparison show for each kind of recorded
value: a choice by its label, people by name, an amount with the currency, a date in the
installation's format, "—" for empty — also for changes recorded before these words."""

from keyplan.plans import wording
from keyplan.plans.models import AccountPlan, CustomerGoal, Objective, PlanChange


def _rows(subject, changes):
    return [
        (r.label, r.before, r.after)
        for r in wording.change_rows(PlanChange(subject=subject, changes=changes))
    ]


def test_a_choice_reads_as_its_label():
    assert _rows("objective", {"category": [None, "cross_account"]}) == [
        ("category", "—", "Cross-account")
    ]
    assert _rows("investment", {"status": ["draft", "submitted"]}) == [
        ("status", "Draft", "Submitted for approval")
    ]


def test_a_list_of_people_reads_as_their_names():
    assert _rows("action", {"contacts": [["Amir Becker"], ["Amir Becker", "Jana Castro"]]}) == [
        ("contacts", "Amir Becker", "Amir Becker, Jana Castro")
    ]


def test_an_amount_has_separators_and_the_currency_but_an_objective_s_number_does_not():
    assert _rows("plan", {"revenue_goal": ["1000000", "1200000"]}) == [
        ("revenue goal", "1,000,000 USD", "1,200,000 USD")
    ]
    assert _rows("goal", {"target_value": [None, "2500000.50"]}) == [
        ("their target (amount)", "—", "2,500,000.50 USD")
    ]
    # an objective counts in its own metric (contacts, events…), not in money
    assert _rows("objective", {"target": ["12", "1500"]}) == [("target", "12", "1,500")]
    assert _rows("idea", {"confidence": [50, 70]}) == [("confidence (%)", "50%", "70%")]


def test_a_date_is_in_the_installation_s_format_and_empty_is_a_dash_on_both_sides():
    assert _rows("goal", {"source_date": [None, "2027-03-01"]}) == [("heard on", "—", "2027-03-01")]
    assert _rows("plan", {"our_aspirations": ["", None]}) == [
        ("our aspirations for the account", "—", "—")
    ]
    assert _rows("idea", {"in_proposal": [False, True]}) == [
        ("part of the proposal to the customer", "no", "yes")
    ]


def test_long_text_is_compared_word_by_word_and_escaped():
    before = "They see us as a supplier of <b>cloud</b> capacity, not yet as a partner."
    after = "They see us as a partner for <b>cloud</b> and analytics, not yet as a partner."
    (row,) = wording.rows(AccountPlan, {"value_perception": [before, after]})
    html = str(row.diff)
    assert "as a <del>supplier of</del><ins>partner for</ins> &lt;b&gt;" in html
    assert "<ins>and analytics,</ins>" in html and "<del>capacity,</del>" in html
    assert "&lt;b&gt;cloud&lt;/b&gt;" in html and "<b>" not in html


def test_a_field_label_is_the_form_s_label():
    assert wording.label_of(CustomerGoal, "story") == "the story behind it"
    assert wording.label_of(Objective, "manual_value") == "current value (by hand)"
    assert wording.label_of(AccountPlan, "goals") == "goals"  # not a field: its name


def test_the_plan_s_computed_numbers_read_in_words_too():
    assert wording.rows(AccountPlan, {"pipeline": ["2500000", "3000000.5"]})[0] == wording.Row(
        "pipeline", "2,500,000 USD", "3,000,000.50 USD"
    )
    assert wording.rows(AccountPlan, {"coverage": ["2.5", None]})[0] == wording.Row(
        "pipeline coverage", "2.50x", "—"
    )
    # a value that is not what its field holds (recorded by an older keyplan) is shown as is
    assert wording.rows(AccountPlan, {"coverage": ["n/a", "x"]})[0].before == "n/a"


def test_the_feed_shows_only_the_words_around_a_change_in_long_text():
    tail = "nine ten eleven twelve thirteen fourteen fifteen"
    before = f"one two three four five six seven eight {tail}"
    after = f"one two three four five six seven EIGHT {tail}"
    (row,) = wording.rows(AccountPlan, {"our_aspirations": [before, after]})
    assert str(row.brief) == (
        "… three four five six seven <del>eight</del><ins>EIGHT</ins> nine ten eleven "
        "twelve thirteen …"
    )
    assert str(row.diff).startswith("one two three")
