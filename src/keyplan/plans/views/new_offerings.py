"""New-offering requests, rolled up for product management (sales ops, executives and
administrators see every account; anyone else the accounts they may see)."""

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from keyplan.core.cells import csv_row
from keyplan.plans.new_offerings import CSV_HEADER, new_offering_rollup, rollup_rows


@require_GET
def new_offerings_view(request):
    needs = new_offering_rollup(request.user)
    return render(
        request,
        "plans/new_offerings.html",
        {
            "nav": "plans",
            "needs": needs,
            "total": sum((n.value for n in needs), start=0),
            "sees_everything": request.user.sees_everything,
        },
    )


@require_GET
def new_offerings_csv(request):
    """The roll-up as CSV, one row per asking idea; text a spreadsheet would run as a
    formula is written as text (core.cells)."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(CSV_HEADER)
    for row in rollup_rows(new_offering_rollup(request.user)):
        writer.writerow(csv_row(row))
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="new-offering-requests.csv"'
    return response
