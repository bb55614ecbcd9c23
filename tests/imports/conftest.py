import json
from io import StringIO

import pytest
from django.core.management import call_command


def stage_tables() -> list[str]:
    """The TEMP tables of a sales import's stage left in this connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_temp_master WHERE name LIKE 'keyplan_stage%%'")
        else:
            cursor.execute(
                "SELECT relname FROM pg_class WHERE relpersistence = 't' "
                "AND relname LIKE 'keyplan_stage%%'"
            )
        return [row[0] for row in cursor.fetchall()]


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
