"""What ``keyplan export-plan`` and ``export-territory-plan`` share: an id, ``--format``
and ``-o FILE``; an unknown id, format or folder is refused naming it, nothing written.
(Django leaves files starting with "_" out of the commands.)"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keyplan.outputs.content import FORMATS
from keyplan.outputs.export import UnknownFormat


class FileCommand(BaseCommand):
    what = "plan"  # as the refusal names it: "no account plan has the id …"

    def find(self, pk: int):
        """The document with id ``pk``, or None."""
        raise CommandError(f"{type(self).__name__} names no documents to find.")

    def export(self, obj, fmt: str):
        """``obj`` as an ``ExportedFile``."""
        raise CommandError(f"{type(self).__name__} names no way to export.")

    def add_arguments(self, parser):
        parser.add_argument("plan_id", help=f"The {self.what}'s id (the number in its address)")
        parser.add_argument("--format", dest="fmt", required=True, help=", ".join(FORMATS))
        parser.add_argument("-o", "--output", required=True, help="The file to write")

    def handle(self, plan_id, fmt, output, **options):
        if fmt not in FORMATS:
            raise CommandError(str(UnknownFormat(fmt)))
        obj = self.find(int(plan_id)) if plan_id.isdigit() else None
        if obj is None:
            raise CommandError(f"plan: no {self.what} has the id {plan_id!r}.")
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"output: the folder {str(path.parent)!r} does not exist.")
        # The command line runs as the installation's operator, who sees every plan; the
        # file says which command exported it.
        exported = self.export(obj, fmt)
        path.write_bytes(exported.content)
        self.stdout.write(f"Wrote {exported.filename} to {path} ({len(exported.content):,} bytes).")
