import csv
from io import StringIO

import pytest
from django.core.management import call_command


def run_generate(*args) -> str:
    """Run ``keyplan generate`` with these arguments; return what it printed."""
    out = StringIO()
    call_command("generate", *map(str, args), stdout=out)
    return out.getvalue()


def read_csv(folder, kind) -> list[dict]:
    with open(folder / f"{kind}.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def generated(db):
    """A 60-account territory generated into the test database."""
    run_generate("--accounts", 60, "--seed", 11)
