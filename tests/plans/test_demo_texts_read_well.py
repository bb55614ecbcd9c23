"""The demo's issue-17 texts, filled with every industry profile, read as English: no
word written twice ("A delivery team for the the fresh categories in twenty stores
roll-out" was the demo's delivery commitment)."""

import re

import pytest

from keyplan.plans.demo import PROFILES
from keyplan.plans.demo_together import DELIVERY_ASKED, MEETING_ACCEPTED

TWICE = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)


@pytest.mark.parametrize("industry", sorted(PROFILES))
@pytest.mark.parametrize("text", [DELIVERY_ASKED, MEETING_ACCEPTED])
def test_no_word_twice(industry, text):
    filled = text.format_map(PROFILES[industry] | {"leader": "Mia Singh"})
    assert not TWICE.search(filled), filled
