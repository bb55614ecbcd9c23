"""The team board's review-pack links name the quarter as the board names periods
("Q1 FY 2027 deck", as in its period menu and the pack's own title), not "2027-Q1 deck"
beside a "FY 2027" heading; the link's parameter stays "2027-Q1"."""

import re

LINK_WORDS = r'data-testid="review-pack-pptx">([^<]*)</a>'


def test_the_link_names_the_quarter_as_the_board_does(org, sitting, client):
    client.force_login(org.manager)
    html = client.get("/team/?period=Q3+FY+2027").content.decode()
    assert set(re.findall(LINK_WORDS, html)) == {"Q3 FY 2027 deck"}
    assert f"/review-packs/?rep={org.rep.pk}&amp;quarter=2027-Q3&amp;format=pdf" in html
    # A year yet to come: its first quarter.
    html = client.get("/team/?period=FY+2031").content.decode()
    assert set(re.findall(LINK_WORDS, html)) == {"Q1 FY 2031 deck"}
    assert f"/review-packs/?rep={org.rep.pk}&amp;quarter=2031-Q1&amp;format=pptx" in html
