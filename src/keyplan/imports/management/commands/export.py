"""keyplan export KIND [--format csv|xlsx|json] [-o FILE]"""

import sys

from django.core.management.base import BaseCommand, CommandError

from keyplan.imports.export import write_csv, write_json, write_xlsx
from keyplan.imports.kinds import KINDS


class Command(BaseCommand):
    help = "Export a kind in its canonical import columns (re-importing it changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument("--format", choices=["csv", "xlsx", "json"], default="csv")
        parser.add_argument("-o", "--output", metavar="FILE", help="default: standard output")

    def handle(self, *args, kind, format, output, **opts):
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
