"""``keyplan export-plan ID --format pptx|pdf|xlsx|md -o FILE``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keyplan.outputs.content import FORMATS
from keyplan.outputs.export import UnknownFormat, export_plan


class Command(BaseCommand):
    help = "Write an account plan as a deck, a PDF, a workbook or Markdown."

    def add_arguments(self, parser):
        parser.add_argument("plan_id", help="The plan's id (the number in its page's address)")
        parser.add_argument("--format", dest="fmt", required=True, help=", ".join(FORMATS))
        parser.add_argument("-o", "--output", required=True, help="The file to write")

    def handle(self, plan_id, fmt, output, **options):
        from keyplan.plans.models import AccountPlan

        if fmt not in FORMATS:
            raise CommandError(str(UnknownFormat(fmt)))
        plan = (
            AccountPlan.objects.select_related("account", "account__tier", "owner")
            .filter(pk=int(plan_id))
            .first()
            if plan_id.isdigit()
            else None
        )
        if plan is None:
            raise CommandError(f"plan: no account plan has the id {plan_id!r}.")
        # The command line runs as the installation's operator, who sees every plan; the
        # file says it was exported by "keyplan export-plan".
        exported = export_plan(plan=plan, user="keyplan export-plan", fmt=fmt)
        path = Path(output)
        if not path.parent.exists():
            raise CommandError(f"output: the folder {str(path.parent)!r} does not exist.")
        path.write_bytes(exported.content)
        self.stdout.write(f"Wrote {exported.filename} to {path} ({len(exported.content):,} bytes).")
