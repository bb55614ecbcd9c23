"""``keyplan export-territory-plan ID --format pptx|pdf|xlsx|md -o FILE``."""

from keyplan.outputs.export import export_territory_plan
from keyplan.outputs.management.commands._file_command import FileCommand


class Command(FileCommand):
    help = "Write a territory plan as a deck, a PDF, a workbook or Markdown."
    what = "territory plan"

    def find(self, pk: int):
        from keyplan.salesplan.models import TerritoryPlan

        return TerritoryPlan.objects.select_related("rep", "rep__manager").filter(pk=pk).first()

    def export(self, obj, fmt: str):
        return export_territory_plan(plan=obj, user="keyplan export-territory-plan", fmt=fmt)
