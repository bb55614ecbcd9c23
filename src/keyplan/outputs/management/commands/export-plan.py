"""``keyplan export-plan ID --format pptx|pdf|xlsx|md -o FILE``."""

from keyplan.outputs.export import export_plan
from keyplan.outputs.management.commands._file_command import FileCommand


class Command(FileCommand):
    help = "Write an account plan as a deck, a PDF, a workbook or Markdown."
    what = "account plan"

    def find(self, pk: int):
        from keyplan.plans.models import AccountPlan

        return (
            AccountPlan.objects.select_related("account", "account__tier", "owner")
            .filter(pk=pk)
            .first()
        )

    def export(self, obj, fmt: str):
        return export_plan(plan=obj, user="keyplan export-plan", fmt=fmt)
