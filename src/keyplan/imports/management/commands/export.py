"""keyplan export KIND [--format csv|xlsx|json] [-o FILE]
keyplan export salesforce DIR [--since DATE|all]"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from keyplan.imports.export import write_csv, write_json, write_xlsx
from keyplan.imports.kinds import KINDS


class Command(BaseCommand):
    help = (
        "Export a kind in its canonical import columns (re-importing it changes nothing), "
        "or, with `salesforce DIR`, what keyplan made as Salesforce Data Loader files."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*KINDS, "salesforce"])
        parser.add_argument(
            "folder", nargs="?", help="salesforce only: the folder to write the files into"
        )
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("-o", "--output", metavar="FILE", help="default: standard output")
        parser.add_argument(
            "--since",
            metavar="DATE",
            help="salesforce only: changes since this date (or date and time); `all` for "
            "everything; default: since the last export",
        )

    def handle(self, *args, kind, folder, format, output, since, **opts):
        if kind == "salesforce":
            return self._salesforce(folder, since)
        if folder or since:
            raise CommandError(
                "Only `keyplan export salesforce DIR` takes a folder or --since; "
                f"export {kind} writes one file: -o FILE"
            )
        if format == "xlsx":
            if not output:
                raise CommandError("An .xlsx export needs a file: -o FILE.xlsx")
            n = write_xlsx(kind, output)
        elif output:
            with open(output, "w", newline="", encoding="utf-8") as fh:
                n = (write_csv if format == "csv" else write_json)(kind, fh)
        else:
            n = (write_csv if format == "csv" else write_json)(kind, sys.stdout)
        if output:
            self.stderr.write(f"Exported {n:,} {kind} to {output}.")

    def _salesforce(self, folder, since):
        from keyplan.crm.salesforce_files import existing_files, write_folder
        from keyplan.crm.services import BadSince, parse_since, salesforce_export, summary

        if not folder:
            raise CommandError(
                "Name the folder to write the Data Loader files into: "
                "keyplan export salesforce DIR [--since DATE]"
            )
        path = Path(folder)
        if path.exists() and not path.is_dir():
            raise CommandError(f"{folder} is a file; give a folder for the Salesforce files.")
        earlier = existing_files(path)
        if earlier:
            raise CommandError(
                f"{folder} already holds {', '.join(earlier)} from an earlier export; "
                "choose a new or empty folder so that the two are not mixed."
            )
        try:
            when = parse_since(since)
        except BadSince as exc:
            raise CommandError(f"--since: {exc}") from None
        # Recorded only once the files are written: a failed write leaves the last
        # export's time where it was, so the next export still holds these changes.
        with transaction.atomic():
            changes = salesforce_export(since=when, via="command line")
            write_folder(changes, path)
        self.stderr.write(
            f"Wrote to {folder}: {summary(changes)}. README.txt says how to load them."
        )
