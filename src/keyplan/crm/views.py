"""The imports page's "Changes back to Salesforce": the Data Loader files as a zip, for
sales ops and administrators (the same rule as the API's)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from keyplan.crm.salesforce_files import zip_bytes
from keyplan.crm.services import BadSince, parse_since, salesforce_export
from keyplan.people.permissions import can_manage_settings

REFUSAL = (
    "Only administrators and sales operations export keyplan's changes for Salesforce "
    "(they load them into the CRM)."
)


@require_http_methods(["GET"])
def salesforce_export_view(request):
    if not can_manage_settings(request.user):
        raise PermissionDenied(REFUSAL)
    try:
        since = parse_since(request.GET.get("since"))
    except BadSince as exc:
        messages.error(request, f"Changed since: {exc}. Nothing was exported.")
        return redirect("import_list")
    with transaction.atomic():
        changes = salesforce_export(since=since, user=request.user, via="web")
        content = zip_bytes(changes)
    response = HttpResponse(content, content_type="application/zip")
    stamp = changes.at.strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="keyplan-salesforce-{stamp}.zip"'
    return response
