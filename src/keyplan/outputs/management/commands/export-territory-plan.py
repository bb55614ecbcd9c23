"""``keyplan export-territory-plan ID --format pptx|pdf|xlsx|md -o FILE``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keyplan.outputs.content import FORMATS
from keyplan.outputs.export import UnknownFormat, export_territory_plan


class Command(BaseCommand):
    help = "Write a territory plan as a deck, a PDF, a workbook or Markdown."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", help="The territory plan's id (in its page's address)")
        parser.add_argument("--format", dest="fmt", required=True, help=", ".join(FORMATS))
        parser.add_argument("-o", "--output", required=True, help="The file to write")

    def handle(self, plan_id, fmt, output, **options):
        from keyplan.salesplan.models import TerritoryPlan

        if fmt not in FORMATS:
            raise CommandError(str(UnknownFormat(fmt)))
        plan = (
            TerritoryPlan.objects.select_related("rep").filter(pk=int(plan_id)).first()
            if plan_id.isdigit()
            else None
        )
        if plan is None:
            raise CommandError(f"plan: no territory plan has the id {plan_id!r}.")
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"output: the folder {str(path.parent)!r} does not exist.")
        # The command line runs as the installation's operator, who sees every plan.
        exported = export_territory_plan(plan=plan, user="keyplan export-territory-plan", fmt=fmt)
        path.write_bytes(exported.content)
        self.stdout.write(f"Wrote {exported.filename} to {path} ({len(exported.content):,} bytes).")
