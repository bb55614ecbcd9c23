"""Check every export of the demo plans, territory plans and review packs with the real
programs (issue 18's "Done means").

Usage (against a database filled by ``keyplan generate --seed 42 --adoption``):

    KEYPLAN_DEBUG=1 DATABASE_URL=... .venv/bin/python benchmarks/verify_exports.py [--out DIR]

Needs LibreOffice (Impress and Calc) and poppler-utils, which the test suite does not:
``apt-get install -y libreoffice-impress libreoffice-calc poppler-utils``.

For each account plan it writes the deck, the PDF, the workbook and the Markdown file
(the same code as ``keyplan export-plan``), then:

- converts the deck and the workbook to PDF with ``soffice --headless --convert-to pdf``
  (an error or a missing file fails) and checks the deck's page count is its slide count;
- checks the PDF's and the converted deck's text (``pdftotext``) holds the plan's account
  name, revenue and stretch goals, pipeline and coverage, and the PDF has page numbers;
- reads the workbook back with openpyxl: the goal and the ideas' values are numbers, the
  ideas' expected dates are dates;
- renders the deck's slides as PNG (``pdftoppm``) into ``--out`` for a person to look at.

Then the same for each territory plan (deck, PDF, workbook, Markdown: the rep's name,
the quota, the revenue objectives and the objectives against the quota; the workbook's
quota a number and its activities' due dates dates) and for each rep's quarterly review
pack (deck and PDF, for the quarter their first active plan starts in: every plan's
account name and health).

Prints one line per file and exits 1 if any check failed.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")


def run(*cmd, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)


def to_pdf(path: Path, outdir: Path, profile: Path) -> Path | None:
    """LibreOffice's own PDF of ``path``; None if it failed."""
    result = run(
        "soffice",
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(path),
    )
    converted = outdir / (path.stem + ".pdf")
    return converted if result.returncode == 0 and converted.exists() else None


def pages(pdf: Path) -> int:
    for line in run("pdfinfo", str(pdf)).stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def text(pdf: Path) -> str:
    return " ".join(run("pdftotext", "-layout", str(pdf), "-").stdout.split())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=None, help="where to keep the files and slide PNGs")
    args = parser.parse_args()
    for program in ("soffice", "pdftotext", "pdfinfo", "pdftoppm"):
        if shutil.which(program) is None:
            sys.exit(f"{program} is not installed: see this script's docstring.")

    import django

    django.setup()
    import openpyxl

    from keyplan.core import words
    from keyplan.outputs.export import export_plan
    from keyplan.plans import selectors
    from keyplan.plans.models import AccountPlan

    out = Path(args.out or tempfile.mkdtemp(prefix="keyplan-exports-"))
    out.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="lo-profile-"))
    failures = []

    def check(ok: bool, what: str):
        if not ok:
            failures.append(what)
        return "ok" if ok else "FAILED"

    plans = list(AccountPlan.objects.select_related("account", "owner").order_by("pk"))
    print(f"{len(plans)} account plans; files in {out}")
    for plan in plans:
        cov = selectors.coverage(plan)
        figures = [
            plan.account.name,
            words.amount(plan.revenue_goal),
            words.amount(plan.stretch_goal),
            words.ratio(cov.revenue.ratio) if cov.revenue and cov.revenue.ratio else "",
        ]
        files = export_all(
            lambda fmt, plan=plan: export_plan(plan=plan, user="verify_exports", fmt=fmt),
            out,
            f"plan-{plan.pk}",
            f"plan {plan.pk}",
        )
        check_deck(files["pptx"], figures, f"plan {plan.pk}", out, profile, check)

        book_pdf = to_pdf(files["xlsx"], out / "libreoffice", profile)
        print(f"  workbook → LibreOffice PDF: {check(book_pdf is not None, f'{plan.pk} xlsx')}")
        book = openpyxl.load_workbook(files["xlsx"])
        glance = {r[0].value: r[1] for r in book["at a glance"].iter_rows(min_row=2)}
        ideas = list(book["ideas"].iter_rows(min_row=2))
        typed = (
            glance["Revenue goal"].data_type == "n"
            and all(r[5].data_type == "n" for r in ideas)
            and all(r[6].is_date for r in ideas if r[6].value is not None)
            and not any(c.data_type == "f" for s in book for row in s.iter_rows() for c in row)
        )
        print(f"  workbook numbers and dates: {check(typed, f'{plan.pk} xlsx types')}")

        check_pdf(files["pdf"], figures, f"plan {plan.pk}", check)
        markdown = files["md"].read_text()
        missing = [f for f in figures if f not in markdown]
        print(f"  Markdown figures: {check(not missing, f'{plan.pk} md {missing}')}")

    check_territory_plans(out, profile, check)
    check_review_packs(out, profile, check)

    shutil.rmtree(profile, ignore_errors=True)
    print(f"{len(failures)} failed" + (": " + "; ".join(failures) if failures else ""))
    return 1 if failures else 0


def write(out: Path, stem: str, exported) -> Path:
    path = out / f"{stem}.{exported.filename.rsplit('.', 1)[1]}"
    path.write_bytes(exported.content)
    return path


def export_all(export, out: Path, stem: str, label: str, formats=("pptx", "pdf", "xlsx", "md")):
    """Each format's file written into ``out``, timed: {format: path}."""
    files = {}
    for fmt in formats:
        started = time.perf_counter()
        exported = export(fmt)
        took = time.perf_counter() - started
        files[fmt] = write(out, stem, exported)
        print(f"{label} {fmt}: {len(exported.content):,} bytes in {took:.2f} s")
    return files


def check_deck(path: Path, figures, label: str, out: Path, profile: Path, check) -> None:
    """LibreOffice converts the deck, one page a slide, and its text holds ``figures``."""
    from pptx import Presentation

    slides = len(Presentation(str(path)).slides)
    started = time.perf_counter()
    converted = to_pdf(path, out / "libreoffice", profile)
    took = time.perf_counter() - started
    print(
        f"  deck → LibreOffice PDF: {check(converted is not None, f'{label} deck')} ({took:.1f} s)"
    )
    if converted:
        n = pages(converted)
        print(f"  deck pages {n} = slides {slides}: {check(n == slides, f'{label} deck pages')}")
        missing = [f for f in figures if f not in text(converted)]
        print(f"  deck text holds the figures: {check(not missing, f'{label} deck {missing}')}")
        run("pdftoppm", "-png", "-r", "60", str(converted), str(out / f"{path.stem}-slide"))


def check_pdf(path: Path, figures, label: str, check) -> None:
    n, said = pages(path), text(path)
    missing = [f for f in figures if f not in said]
    print(
        f"  PDF: {n} pages, figures {check(not missing, f'{label} pdf {missing}')}, "
        f"page numbers {check(f'Page 1 of {n}' in said, f'{label} pdf pages')}"
    )


def check_territory_plans(out: Path, profile: Path, check) -> None:
    import openpyxl

    from keyplan.core import words
    from keyplan.outputs.export import export_territory_plan
    from keyplan.outputs.territory_content import territory_document
    from keyplan.salesplan.models import TerritoryPlan

    plans = list(TerritoryPlan.objects.select_related("rep").order_by("pk"))
    print(f"{len(plans)} territory plans")
    for plan in plans:
        doc = territory_document(plan, "verify_exports")
        figures = [doc.rep_name, words.amount(doc.quota), words.amount(doc.revenue)]
        if doc.objectives_vs_quota is not None:
            figures.append(words.ratio(doc.objectives_vs_quota))
        label = f"territory {plan.pk}"
        files = export_all(
            lambda fmt, plan=plan: export_territory_plan(plan=plan, user="verify_exports", fmt=fmt),
            out,
            f"territory-{plan.pk}",
            label,
        )
        check_deck(files["pptx"], figures, label, out, profile, check)
        book_pdf = to_pdf(files["xlsx"], out / "libreoffice", profile)
        print(f"  workbook → LibreOffice PDF: {check(book_pdf is not None, f'{label} xlsx')}")
        book = openpyxl.load_workbook(files["xlsx"])
        glance = {r[0].value: r[1] for r in book["at a glance"].iter_rows(min_row=2)}
        typed = (
            glance["Quota"].data_type == "n"
            and all(r[3].is_date for r in book["activities"].iter_rows(min_row=2))
            and all(r[7].data_type == "n" for r in book["strategies"].iter_rows(min_row=2))
            and not any(c.data_type == "f" for s in book for row in s.iter_rows() for c in row)
        )
        print(f"  workbook numbers and dates: {check(typed, f'{label} xlsx types')}")
        check_pdf(files["pdf"], figures, label, check)
        missing = [f for f in figures if f not in files["md"].read_text()]
        print(f"  Markdown figures: {check(not missing, f'{label} md {missing}')}")


def check_review_packs(out: Path, profile: Path, check) -> None:
    from keyplan.outputs.export import review_pack_export
    from keyplan.outputs.review_pack import review_pack
    from keyplan.people.models import User
    from keyplan.plans.choices import PlanStatus
    from keyplan.plans.models import AccountPlan
    from keyplan.salesplan.periods import Period

    # Someone who sees everything asks, so every plan is in its rep's pack.
    reader = User.objects.filter(role="executive", is_active=True).order_by("pk").first()
    firsts = {}
    for owner_id, start in (
        AccountPlan.objects.filter(status=PlanStatus.ACTIVE, owner__isnull=False)
        .order_by("period_start")
        .values_list("owner_id", "period_start")
    ):
        firsts.setdefault(owner_id, start)
    print(f"{len(firsts)} review packs (reps with an active plan), read by {reader}")
    for rep_id, start in sorted(firsts.items()):
        quarter = Period.containing(start, quarter=True)
        name = f"{quarter.fiscal_year}-Q{quarter.quarter}"
        pack = review_pack(rep=User.objects.get(pk=rep_id), quarter=quarter, user=reader)
        figures = [pack.rep_name] + [
            f for p in pack.plans for f in (p.doc.account_name, f"{p.doc.health.score}/100")
        ]
        label = f"pack {rep_id} {name}"
        files = {}
        for fmt in ("pptx", "pdf"):
            started = time.perf_counter()
            exported = review_pack_export(rep_id=str(rep_id), quarter=name, user=reader, fmt=fmt)
            took = time.perf_counter() - started
            files[fmt] = write(out, f"pack-{rep_id}", exported)
            print(
                f"{label} {fmt}: {len(pack.plans)} plans, {len(exported.content):,} bytes in "
                f"{took:.2f} s"
            )
        check_deck(files["pptx"], figures, label, out, profile, check)
        check_pdf(files["pdf"], figures, label, check)


if __name__ == "__main__":
    raise SystemExit(main())
