"""Check every export of the demo plans with the real programs (issue 18's "Done means").

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
    from pptx import Presentation

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
        files = {}
        for fmt in ("pptx", "pdf", "xlsx", "md"):
            started = time.perf_counter()
            exported = export_plan(plan=plan, user="verify_exports", fmt=fmt)
            took = time.perf_counter() - started
            path = out / f"plan-{plan.pk}.{fmt}"
            path.write_bytes(exported.content)
            files[fmt] = path
            print(f"plan {plan.pk} {fmt}: {len(exported.content):,} bytes in {took:.2f} s")

        slides = len(Presentation(str(files["pptx"])).slides)
        started = time.perf_counter()
        deck_pdf = to_pdf(files["pptx"], out / "libreoffice", profile)
        took = time.perf_counter() - started
        print(
            f"  deck → LibreOffice PDF: {check(deck_pdf is not None, f'{plan.pk} deck converts')}"
            f" ({took:.1f} s)"
        )
        if deck_pdf:
            print(
                f"  deck pages {pages(deck_pdf)} = slides {slides}: "
                f"{check(pages(deck_pdf) == slides, f'{plan.pk} deck page count')}"
            )
            deck_text = text(deck_pdf)
            missing = [f for f in figures if f not in deck_text]
            print(
                f"  deck text holds the figures: {check(not missing, f'{plan.pk} deck {missing}')}"
            )
            run("pdftoppm", "-png", "-r", "60", str(deck_pdf), str(out / f"plan-{plan.pk}-slide"))

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

        pdf_pages = pages(files["pdf"])
        pdf_text = text(files["pdf"])
        missing = [f for f in figures if f not in pdf_text]
        print(
            f"  PDF: {pdf_pages} pages, figures {check(not missing, f'{plan.pk} pdf {missing}')}, "
            f"page numbers {check(f'Page 1 of {pdf_pages}' in pdf_text, f'{plan.pk} pdf pages')}"
        )
        markdown = files["md"].read_text()
        missing = [f for f in figures if f not in markdown]
        print(f"  Markdown figures: {check(not missing, f'{plan.pk} md {missing}')}")

    shutil.rmtree(profile, ignore_errors=True)
    print(f"{len(failures)} failed" + (": " + "; ".join(failures) if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
