"""On the territory deck's "Opportunity by product" chart (white space and open
pipeline stacked per product), a product with no white space wrote "0" on its empty
segment, on top of the pipeline's figure beside it: zero segments of a stacked chart
now carry no label, while the other charts still write every value, zero included."""

import io
from types import SimpleNamespace

from pptx import Presentation

from keyplan.outputs.slides import SlideDeck


def _shown(number_format: str, value: float) -> str:
    """What a number format writes for ``value`` (sections: positive;negative;zero)."""
    sections = number_format.split(";")
    if value == 0 and len(sections) >= 3:
        return "0" if sections[2] else ""
    return f"{value:,.0f}"


def _label_formats(stacked: bool) -> str:
    deck = SlideDeck(doc=SimpleNamespace(title="Territory plan", generated_by="Amir Bianchi"))
    slide = deck.slide("Opportunity by product")
    deck.bar_chart(
        slide,
        ["Cloud Compute", "Shield Audit"],
        [("White space (USD)", [0, 0]), ("Open pipeline (USD)", [9663978, 796846])],
        0.6,
        1.5,
        12,
        5,
        stacked=stacked,
    )
    chart = next(
        s.chart for s in Presentation(io.BytesIO(deck.save())).slides[0].shapes if s.has_chart
    )
    return chart.plots[0].data_labels.number_format


def test_zero_segments_of_a_stacked_chart_show_no_figure():
    fmt = _label_formats(stacked=True)
    assert _shown(fmt, 0) == ""
    assert _shown(fmt, 9663978) == "9,663,978"


def test_a_side_by_side_chart_still_writes_its_zeros():
    assert _shown(_label_formats(stacked=False), 0) == "0"
