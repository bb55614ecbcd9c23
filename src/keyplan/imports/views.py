"""Web import (sales ops and admins) and exports (everyone, for what they may see)."""

import itertools

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from keyplan.core.cells import csv_row
from keyplan.imports import services
from keyplan.imports.engine import ImportFailed, resolve_mapping
from keyplan.imports.export import export_queryset, write_json, write_xlsx
from keyplan.imports.forms import MappingForm, UploadForm
from keyplan.imports.headers import fits, preselect
from keyplan.imports.kinds import KINDS
from keyplan.imports.kinds.base import field_label
from keyplan.imports.models import ImportRun, ImportStatus, SavedMapping
from keyplan.imports.sources import SourceError, open_source
from keyplan.imports.uploads import upload_refusal
from keyplan.imports.wording import WEB, audience
from keyplan.operations.health import worker_away
from keyplan.people.permissions import settings_managers_only

PREVIEW_ROWS = 10
HISTORY_SHOWN = 50


@require_http_methods(["GET", "POST"])
@settings_managers_only
def import_list(request):
    services.discard_unused_uploads()
    # ``?kind=`` preselects the kind: the link of an import that cannot be started again.
    asked = request.GET.get("kind", "")
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        initial={"kind": asked} if asked in KINDS else None,
    )
    refusal = upload_refusal(request) if request.method == "POST" else ""
    if refusal:
        form.is_valid()
        form.errors["file"] = form.error_class([refusal])
    elif request.method == "POST" and form.is_valid():
        try:
            run = services.import_upload(
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                user=request.user,
            )
        except ImportFailed as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("import_map", pk=run.pk)
    runs = ImportRun.objects.select_related("created_by")[:HISTORY_SHOWN]
    from keyplan.crm.services import last_export  # the page's "Changes back to Salesforce"

    context = {"form": form, "runs": runs, "nav": "imports", "salesforce_last": last_export()}
    if any(run.status == ImportStatus.QUEUED for run in runs):
        context["worker_away"] = worker_away()
    return render(request, "imports/import_list.html", context)


def _preview(run):
    source = open_source(services.import_stored_path(run), name=run.file_name)
    rows = list(itertools.islice(source.rows(), PREVIEW_ROWS + 1))
    if not rows:
        raise ImportFailed("The file has no rows at all.")
    headers = [h.strip().lstrip("\ufeff") for h in rows[0][1]]
    return headers, [values for _, values in rows[1:]]


def _saved_mapping(request, saved, headers):
    """The saved mapping to start from: the one asked for (``?mapping=ID``; ``none`` for
    none), else the one that fits the file (every column it names is there; the one
    naming most columns, then the latest). Returns (mapping or None, applied
    automatically)."""
    asked = request.GET.get("mapping", "")
    if asked == "none":
        return None, False
    if asked.isdigit():
        return next((m for m in saved if m.pk == int(asked)), None), False
    fitting = [m for m in saved if fits(headers, m.columns)]
    if not fitting:
        return None, False
    best = max(fitting, key=lambda m: (len(m.columns), m.updated_at, m.pk))
    return best, True


@require_http_methods(["GET", "POST"])
@settings_managers_only
def import_map(request, pk: int):
    run = get_object_or_404(ImportRun, pk=pk)
    if run.status != ImportStatus.UPLOADED:
        return redirect(run)
    with audience(WEB):
        try:
            headers, preview = _preview(run)
        except (SourceError, ImportFailed) as exc:
            run.status, run.failure = ImportStatus.FAILED, str(exc)
            run.save(update_fields=["status", "failure"])
            return redirect(run)
        return _map_page(request, run, headers, preview)


def _map_page(request, run, headers, preview):
    kind_cls = KINDS[run.kind]
    saved = list(SavedMapping.objects.filter(kind=run.kind))
    chosen, automatic = _saved_mapping(request, saved, headers)
    by_index, absent = preselect(kind_cls, headers, chosen.columns if chosen else {})
    initial_map = {field: headers[i] for field, i in by_index.items()}
    form = MappingForm(
        request.POST or None,
        kind=run.kind,
        headers=headers,
        initial_map=initial_map,
        initial={"date_format": chosen.date_format if chosen else ""},
    )
    still_to_map = ""
    if request.method == "GET":
        try:
            resolve_mapping(kind_cls, headers, initial_map)
        except ImportFailed as exc:
            still_to_map = str(exc)
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            resolve_mapping(kind_cls, headers, mapping)
        except ImportFailed as exc:
            form.add_error(None, str(exc))
        else:
            if form.cleaned_data["save_as"]:
                SavedMapping.objects.update_or_create(
                    kind=run.kind,
                    name=form.cleaned_data["save_as"],
                    defaults={
                        "columns": mapping,
                        "created_by": request.user,
                        "date_format": form.cleaned_data["date_format"],
                    },
                )
                messages.success(request, f"Mapping “{form.cleaned_data['save_as']}” saved.")
            services.import_queue(
                run=run,
                mapping=mapping,
                dry_run="dry_run" in request.POST,
                skip_invalid=form.cleaned_data["skip_invalid"],
                date_format=form.cleaned_data["date_format"],
                via=WEB,
            )
            return redirect(run)
    return render(
        request,
        "imports/import_map.html",
        {
            "run": run,
            "form": form,
            "headers": headers,
            "preview": preview,
            "saved": saved,
            "chosen": chosen,
            "automatic": automatic,
            "absent": [
                f"{field_label(kind_cls, field)} (“{chosen.columns[field]}”)" for field in absent
            ],
            "still_to_map": still_to_map,
            "nav": "imports",
        },
    )


@require_http_methods(["POST"])
@settings_managers_only
def import_now(request, pk: int):
    """Import the file a dry run checked, without uploading it again."""
    dry_run = get_object_or_404(ImportRun, pk=pk)
    try:
        run = services.import_after_dry_run(dry_run=dry_run, user=request.user)
    except ImportFailed as exc:
        messages.error(request, str(exc))
        return redirect(dry_run)
    return redirect(run)


@require_http_methods(["POST"])
@settings_managers_only
def import_again(request, pk: int):
    """Start the file of an import the background worker lost once more."""
    lost = get_object_or_404(ImportRun, pk=pk)
    try:
        run = services.import_again(run=lost, user=request.user)
    except ImportFailed as exc:
        messages.error(request, str(exc))
        return redirect(lost)
    return redirect(run)


@require_http_methods(["GET"])
@settings_managers_only
def import_detail(request, pk: int):
    run = get_object_or_404(ImportRun.objects.select_related("created_by"), pk=pk)
    context = {"run": run, "progress": services.import_progress(run), "nav": "imports"}
    if run.status == ImportStatus.QUEUED:
        context["worker_away"] = worker_away()
    if run.dry_run and run.status == ImportStatus.DONE:
        context["import_now_refusal"] = services.import_now_refusal(run)
        context["later_import"] = services.import_from_same_file(run)
    if run.worker_lost and run.status == ImportStatus.FAILED:
        context["import_again_refusal"] = services.import_again_refusal(run)
        context["started_again"] = services.import_started_again(run)
    if request.headers.get("HX-Request"):
        return render(request, "imports/import_status.html", context)
    return render(request, "imports/import_detail.html", context)


@require_http_methods(["GET"])
@settings_managers_only
def import_rejects(request, pk: int):
    run = get_object_or_404(ImportRun, pk=pk)
    if not run.rejects_file:
        raise Http404
    path = services.upload_dir() / run.rejects_file
    if not path.exists():
        raise Http404
    name = f"{slugify(run.file_name.rsplit('.', 1)[0]) or 'import'}.rejects.csv"
    return FileResponse(open(path, "rb"), as_attachment=True, filename=name)  # noqa: SIM115


class _Echo:
    def write(self, value):
        return value


@require_http_methods(["GET"])
def export_view(request, kind: str):
    """Download any kind in its canonical import columns — only what the user may see;
    users are exported only for those who manage people."""
    if kind not in KINDS:
        raise Http404
    if kind == "users" and not request.user.manages_settings:
        raise Http404
    fmt = request.GET.get("format", "csv")
    handler = KINDS[kind].__new__(KINDS[kind])
    rows = handler.export_rows(export_queryset(kind, request.user))
    header = KINDS[kind].export_fields
    if fmt == "csv":
        import csv

        writer = csv.writer(_Echo())
        stream = (writer.writerow(csv_row(r)) for r in itertools.chain([header], rows))
        response = StreamingHttpResponse(stream, content_type="text/csv; charset=utf-8")
    elif fmt == "json":
        import io

        buffer = io.StringIO()
        write_json(kind, buffer, user=request.user)
        response = HttpResponse(buffer.getvalue(), content_type="application/json")
    elif fmt == "xlsx":
        import tempfile

        tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115 - closed by the response
        write_xlsx(kind, tmp.name, user=request.user)
        tmp.seek(0)
        return FileResponse(tmp, as_attachment=True, filename=f"{kind}.xlsx")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{kind}.{fmt}"'
    return response
