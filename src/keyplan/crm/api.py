"""``GET /api/v1/exports/salesforce/?since=DATE``: the Data Loader files as a zip."""

from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from keyplan.api.permissions import CrmExportBySettingsManagers
from keyplan.crm.salesforce_files import zip_bytes
from keyplan.crm.services import BadSince, parse_since, salesforce_export


class SalesforceExportView(APIView):
    permission_classes = [CrmExportBySettingsManagers]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        operation_id="exports_salesforce",
        summary="What keyplan made, as Salesforce Data Loader files",
        description=(
            "A zip of Contact.csv, Opportunity.csv, Task.csv and Event.csv (upsert each on "
            "Keyplan_Id__c), skipped.csv (what could not be placed, with the reason) and "
            "README.txt (how to load them, rows per file). Sales ops and administrators "
            "only. Without `since`, the changes since the last export."
        ),
        parameters=[
            OpenApiParameter(
                "since",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                description=(
                    "A date (2026-12-01) or date and time (2026-12-01T09:30); `all` for "
                    "everything; empty for the changes since the last export"
                ),
            )
        ],
        responses={
            (200, "application/zip"): OpenApiResponse(OpenApiTypes.BINARY),
            400: OpenApiResponse(description="`since` is not a date, or in the future"),
            403: OpenApiResponse(description="Not sales ops or an administrator"),
        },
    )
    def get(self, request):
        try:
            since = parse_since(request.query_params.get("since"))
        except BadSince as exc:
            raise ValidationError({"since": [str(exc)]}) from None
        with transaction.atomic():
            changes = salesforce_export(since=since, user=request.user, via="API")
            content = zip_bytes(changes)
        response = HttpResponse(content, content_type="application/zip")
        stamp = changes.at.strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="keyplan-salesforce-{stamp}.zip"'
        return response
