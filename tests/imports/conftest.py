import json
from io import StringIO

import pytest
from django.core.management import call_command


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture
def run_import(db):
    """Run ``keyplan import`` as a user would; returns (exit code, JSON report)."""

    def run(*args):
        out = StringIO()
        try:
            call_command("import", *map(str, args), "--json", stdout=out)
            code = 0
        except SystemExit as exc:
            code = exc.code
        return code, json.loads(out.getvalue())

    return run


@pytest.fixture
def catalogue(db):
    from tests.factories import ProductFactory, ProductLineFactory

    line = ProductLineFactory(name="Hardware")
    return {
        "gtx": ProductFactory(name="GTX Pro", external_id="P1", product_line=line),
        "support": ProductFactory(name="Support", external_id="P2", product_line=line),
    }
