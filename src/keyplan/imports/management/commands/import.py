"""keyplan import KIND FILE | keyplan import salesforce DIR"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from keyplan.core.bulk import settle_write_ahead_log
from keyplan.core.words import plural
from keyplan.imports.engine import ImportFailed, run_import
from keyplan.imports.kinds import KINDS
from keyplan.imports.kinds.base import Options, field_label
from keyplan.imports.mapping import Mapping, load_mapping_file, parse_pairs, stage_pairs
from keyplan.imports.progress import TerminalBar
from keyplan.imports.services import import_record_command_line

SHOWN = 50  # rows of errors (and of skipped rows) printed per file


def _fields_help() -> str:
    lines = [
        "Canonical fields per kind (* = required). --map FIELD=COLUMN takes a field's code "
        'as listed here or its label as the mapping page shows it ("Annual revenue"):'
    ]
    for name, kind in KINDS.items():
        fields = ", ".join(f.name + ("*" if f.required else "") for f in kind.fields)
        lines.append(f"  {name}: {fields}")
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Import accounts, contacts, products, sales, opportunities, users or interactions "
        "from a CSV or .xlsx file, or a Salesforce data-export folder. All-or-nothing "
        "unless --skip-invalid."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        from argparse import RawDescriptionHelpFormatter

        kwargs["formatter_class"] = RawDescriptionHelpFormatter
        kwargs["epilog"] = _fields_help()
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[*KINDS, "salesforce"], help="what the file holds")
        parser.add_argument("file", help="CSV or .xlsx file (a folder for salesforce)")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="map a canonical field to a column of the file (repeatable)",
        )
        parser.add_argument("--mapping", metavar="FILE", help="a saved mapping file (TOML)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check everything, write nothing"
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="import the valid rows; write rejected rows to the rejects file",
        )
        parser.add_argument(
            "--rejects",
            metavar="FILE",
            help="where rejected rows go (default: FILE.rejects.csv beside it)",
        )
        parser.add_argument("--json", action="store_true", help="print one JSON report")
        parser.add_argument("--encoding", help="text encoding of a CSV (detected by default)")
        parser.add_argument("--sheet", help="sheet of an .xlsx workbook (default: the first)")
        parser.add_argument(
            "--date-format",
            metavar="dmy|mdy|d.m.y|PATTERN",
            help="how to read ambiguous dates such as 3/1/2017",
        )
        parser.add_argument(
            "--stage",
            action="append",
            default=[],
            metavar="SOURCE=won|lost|open",
            help="how an opportunity stage of the source maps to a status",
        )

    def handle(self, *args, **opts):
        try:
            mapping = load_mapping_file(opts["mapping"]) if opts["mapping"] else Mapping()
            if mapping.kind and mapping.kind != opts["kind"]:
                raise ImportFailed(f"The mapping file is for {mapping.kind}, not {opts['kind']}.")
            columns = {**mapping.columns, **parse_pairs(opts["map"], what="--map")}
            stages = {**mapping.stages, **stage_pairs(parse_pairs(opts["stage"], what="--stage"))}
            options = Options(
                date_format=opts["date_format"] or mapping.date_format, stage_map=stages
            )
            show_bar = not opts["json"] and sys.stderr.isatty()
            if opts["kind"] == "salesforce":
                from keyplan.imports.salesforce import import_salesforce

                reports = import_salesforce(
                    opts["file"],
                    dry_run=opts["dry_run"],
                    skip_invalid=opts["skip_invalid"],
                    options=options,
                    on_progress=TerminalBar() if show_bar else None,
                )
            else:
                reports = [
                    run_import(
                        kind=opts["kind"],
                        path=opts["file"],
                        mapping=columns,
                        dry_run=opts["dry_run"],
                        skip_invalid=opts["skip_invalid"],
                        rejects_path=opts["rejects"],
                        encoding=opts["encoding"],
                        sheet=opts["sheet"],
                        options=options,
                        on_progress=TerminalBar() if show_bar else None,
                    )
                ]
        except ImportFailed as exc:
            self._record(opts, failure=str(exc))
            if opts["json"]:
                self.stdout.write(json.dumps({"ok": False, "failure": str(exc)}))
                sys.exit(2)
            raise CommandError(str(exc)) from None
        for report in reports:
            self._record(opts, report=report, mapping=columns, stages=stages)
        ok = all(r.ok for r in reports)
        if opts["json"]:
            if len(reports) == 1:
                payload = reports[0].as_dict()
            else:
                payload = {
                    "ok": ok,
                    "files": [r.as_dict() for r in reports],
                    **{
                        k: sum(getattr(r, k) for r in reports)
                        for k in ("created", "updated", "unchanged", "rejected", "skipped")
                    },
                    "errors": [dict(e, file=r.file) for r in reports for e in r.errors],
                    "skipped_rows": [dict(s, file=r.file) for r in reports for s in r.skipped_rows],
                    # A folder is written in one transaction: its files share this figure.
                    "write_lock_seconds": reports[0].folder_write_lock_seconds if reports else None,
                }
            self.stdout.write(json.dumps(payload, default=str))
        else:
            folder = opts["kind"] == "salesforce"
            for report in reports:
                self._print(report, folder=folder)
            held = reports[0].folder_write_lock_seconds if folder and reports else None
            if held is not None:
                self.stdout.write(
                    f"The folder was written in one transaction: other writers had to wait "
                    f"{held:.1f} s (its files were read and "
                    "converted before, without holding anyone up)."
                )
        # Before this process ends: what the import wrote is copied out of SQLite's
        # write-ahead log now, not by whichever connection closes last (everyone waits).
        settle_write_ahead_log()
        if not ok:
            sys.exit(1)

    def _record(self, opts, *, report=None, failure="", mapping=None, stages=None):
        """Keep the run in the import history (and the audit log), as web imports are."""
        import_record_command_line(
            kind=opts["kind"],
            path=opts["file"],
            report=report,
            failure=failure,
            mapping=mapping,
            date_format=opts["date_format"],
            stages=stages,
            dry_run=opts["dry_run"],
            skip_invalid=opts["skip_invalid"],
        )

    def _print(self, r, *, folder=False):
        verb = "Checked" if r.dry_run else ("Imported" if r.committed else "Nothing imported from")
        self.stdout.write(
            f"{verb} {r.file} ({r.kind}): {plural(r.rows, 'row')} — {r.created:,} created, "
            f"{r.updated:,} updated, {r.unchanged:,} unchanged, {r.rejected:,} rejected, "
            f"{r.skipped:,} skipped in {r.seconds:.1f} s"
            + (
                f", written in {plural(r.write_steps, 'step')}: other writers waited at most "
                f"{r.write_lock_seconds:.1f} s (the longest step)."
                if r.write_steps and r.write_lock_seconds is not None
                else f", of which other writers had to wait {r.write_lock_seconds:.1f} s "
                "(the final write)."
                if r.write_lock_seconds is not None
                else "."
            )
        )
        for s in r.skipped_rows[:SHOWN]:
            self.stdout.write(f"  row {s['row']} skipped: {s['reason']}")
        if r.skipped > SHOWN:
            self.stdout.write(f"  … and {r.skipped - SHOWN:,} more skipped rows.")
        kind_cls = KINDS.get(r.kind)
        for e in r.errors[:SHOWN]:
            value = f" “{e['value']}”" if e["value"] else ""
            column = field_label(kind_cls, e["column"]) if kind_cls else e["column"]
            self.stdout.write(f"  row {e['row']}, {column}{value}: {e['message']}")
        if r.error_count > SHOWN:
            where = "all are in the rejects file" if r.rejects_file else "use --json for all"
            self.stdout.write(f"  … and {r.error_count - SHOWN:,} more errors ({where}).")
        if r.error_count and not r.committed and not r.dry_run:
            self.stdout.write("  Nothing was written: fix the rows above, or use --skip-invalid.")
        if r.rejects_file and r.rejected and folder:
            # A Salesforce folder's rejects file has keyplan's columns, not the export's.
            what = "Rejected and skipped rows" if r.skipped else "Rejected rows"
            self.stdout.write(
                f"  {what} are in {r.rejects_file}, in keyplan's columns: fix them there and "
                f"run keyplan import {r.kind} {r.rejects_file} — or fix {r.file} and import "
                "the folder again."
            )
        elif r.rejects_file and r.rejected:
            what = "Rejected and skipped rows" if r.skipped else "Rejected rows"
            self.stdout.write(f"  {what} are in {r.rejects_file}: fix them and import it again.")
        elif r.rejects_file:
            self.stdout.write(f"  Skipped rows are in {r.rejects_file}, with the reason.")
