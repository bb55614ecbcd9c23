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


def test_bar_says_which_step_a_large_import_is_writing():
    out = StringIO()
    bar = TerminalBar(stream=out, width=10)
    bar(Progress(rows=970_267, fraction=1.0, elapsed=20.0, step=12, steps=49))
    assert "970,267 rows checked; writing, step 12 of 49" in out.getvalue()
    assert "left" not in out.getvalue()  # no time left from a finished read
    bar(Progress(rows=970_267, fraction=1.0, elapsed=40.0, step=49, steps=49))
    assert out.getvalue().endswith("\n")
