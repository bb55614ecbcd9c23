"""A quota file naming a rep keyplan does not know says so in a sales-ops analyst's
words: no rep with that username or name (not "user … not found"), with the closest
person's name or username when one is near."""

import pytest

from keyplan.salesplan.models import Quota
from tests.imports.conftest import write

pytestmark = pytest.mark.django_db

NO_REP = "no rep with that username or name (people are added on the People page)"


def test_an_unknown_rep_is_named_as_a_rep_and_nothing_is_written(tmp_path, run_import, org):
    org.rep2.first_name, org.rep2.last_name = "Ines", "Schmidt"
    org.rep2.save()
    path = write(
        tmp_path / "quotas.csv",
        "period,rep,team,amount\n"
        "FY 2026,rep,,1000\n"
        "FY 2026,nobody-such,,5\n"
        "FY 2026,Ines Schmit,,7\n",
    )
    code, report = run_import("quotas", path)
    assert code == 1 and report["committed"] is False
    assert [(e["row"], e["column"], e["value"], e["message"]) for e in report["errors"]] == [
        (3, "rep", "nobody-such", NO_REP),
        (4, "rep", "Ines Schmit", f"{NO_REP} — did you mean “Ines Schmidt”?"),
    ]
    assert not any(
        "user “" in e["message"] or "not found" in e["message"] for e in report["errors"]
    )
    assert Quota.objects.count() == 0
