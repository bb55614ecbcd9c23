"""The terminal progress bar shows rows done, rate and time left."""

from io import StringIO

from keyplan.imports.engine import Progress
from keyplan.imports.progress import TerminalBar


def test_bar_shows_rows_rate_and_time_left():
    out = StringIO()
    bar = TerminalBar(stream=out, width=10)
    bar(Progress(rows=50_000, fraction=0.25, elapsed=2.0))
    line = out.getvalue()
    assert "25.0%" in line and "50,000 rows" in line and "25,000 rows/s" in line
    assert "00:06 left" in line and line.count("█") == 2
    bar(Progress(rows=200_000, fraction=1.0, elapsed=8.0))
    assert out.getvalue().endswith("\n")
