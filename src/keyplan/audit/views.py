"""The recycle bin (restore) and the audit log (filter, page, export)."""

import csv

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from keyplan.audit.bin import RETENTION_DAYS, bin_visible_to, purge_deleted, restore
from keyplan.audit.choices import AuditAction
from keyplan.audit.models import AuditEvent
from keyplan.core.cells import csv_row
from keyplan.people.choices import Role

PER_PAGE = 50


def reads_audit_log(user) -> bool:
    return user.is_superuser or user.role == Role.ADMIN


@require_http_methods(["GET"])
def recycle_bin(request):
    """What was deleted in the last 30 days; administrators and sales operations see all,
    others what they deleted themselves."""
    purge_deleted()  # opportunistically, besides the `purge_deleted` command
    page = Paginator(bin_visible_to(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/recycle_bin.html",
        {"page": page, "retention_days": RETENTION_DAYS, "nav": "recycle_bin"},
    )


@require_POST
def restore_view(request, pk: int):
    record = get_object_or_404(bin_visible_to(request.user), pk=pk)
    try:
        restore(record=record, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{record.object_label} was restored.")
    return redirect("recycle_bin")


def _filtered_events(request):
    if not reads_audit_log(request.user):
        raise PermissionDenied("Only administrators read the audit log.")
    qs = AuditEvent.objects.select_related("user")
    get = request.GET
    if get.get("action") in AuditAction.values:
        qs = qs.filter(action=get["action"])
    if get.get("user"):
        # "David Alvarez", as the Who column shows it: every word is part of the user
        # name, the first name or the last name.
        for word in get["user"].split():
            qs = qs.filter(
                Q(username__icontains=word)
                | Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
            )
    if get.get("q"):
        q = get["q"].strip()
        qs = qs.filter(object_label__icontains=q) | qs.filter(summary__icontains=q)
    for name, lookup in (("from", "at__date__gte"), ("to", "at__date__lte")):
        value = get.get(name, "").strip()
        if value:
            try:
                qs = qs.filter(**{lookup: value})
            except ValidationError:
                messages.error(request, f"“{value}” is not a date (YYYY-MM-DD); ignored.")
    return qs


@require_http_methods(["GET"])
def audit_log(request):
    qs = _filtered_events(request)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/audit_log.html",
        {
            "page": page,
            "actions": AuditAction.choices,
            "filters": request.GET,
            "query": query.urlencode(),
            "nav": "people",
        },
    )


@require_http_methods(["GET"])
def audit_log_csv(request):
    qs = _filtered_events(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    out = csv.writer(response)
    out.writerow(
        [
            # The time as the page shows it, with seconds, in the installation's time zone,
            # named: a spreadsheet reads "2026-12-06 14:36:26" as a date and time (not
            # "2026-12-06T14:36:26+00:00"), and a log must say which zone it speaks.
            f"when ({settings.TIME_ZONE})",
            "who",
            "what",
            "object type",
            "object id",
            "object",
            "summary",
            "from",
            "user name",
        ]
    )
    for e in qs.iterator(chunk_size=2000):
        out.writerow(
            csv_row(
                [
                    f"{timezone.localtime(e.at):%Y-%m-%d %H:%M:%S}",
                    (e.user.get_full_name() if e.user else "") or e.username,
                    e.get_action_display(),
                    e.object_type,
                    e.object_id,
                    e.object_label,
                    e.summary,
                    e.source,
                    e.username,
                ]
            )
        )
    return response
