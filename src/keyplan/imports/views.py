"""Web import (sales ops and admins) and exports (everyone, for what they may see)."""

import itertools

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from keyplan.imports import services
from keyplan.imports.engine import ImportFailed, resolve_mapping
from keyplan.imports.export import export_queryset, write_json, write_xlsx
from keyplan.imports.forms import MappingForm, UploadForm
from keyplan.imports.kinds import KINDS
from keyplan.imports.models import ImportRun, ImportStatus, SavedMapping
from keyplan.imports.sources import SourceError, open_source
from keyplan.people.permissions import settings_managers_only

PREVIEW_ROWS = 10
HISTORY_SHOWN = 50


@require_http_methods(["GET", "POST"])
@settings_managers_only
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
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
    return render(
        request, "imports/import_list.html", {"form": form, "runs": runs, "nav": "imports"}
    )


def _preview(run):
    source = open_source(services.import_stored_path(run))
    rows = list(itertools.islice(source.rows(), PREVIEW_ROWS + 1))
    if not rows:
        raise ImportFailed("The file has no rows at all.")
    headers = [h.strip().lstrip("\ufeff") for h in rows[0][1]]
    return headers, [values for _, values in rows[1:]]


@require_http_methods(["GET", "POST"])
@settings_managers_only
def import_map(request, pk: int):
    run = get_object_or_404(ImportRun, pk=pk)
    if run.status != ImportStatus.UPLOADED:
        return redirect(run)
    try:
        headers, preview = _preview(run)
    except (SourceError, ImportFailed) as exc:
        run.status, run.failure = ImportStatus.FAILED, str(exc)
        run.save(update_fields=["status", "failure"])
        return redirect(run)
    saved = SavedMapping.objects.filter(kind=run.kind)
    chosen = saved.filter(pk=request.GET.get("mapping") or 0).first()
    initial_map = {}
    try:
        by_index = resolve_mapping(KINDS[run.kind], headers, chosen.columns if chosen else {})
        initial_map = {field: headers[i] for field, i in by_index.items()}
    except ImportFailed as exc:
        if request.method == "GET":
            messages.warning(request, str(exc))
    form = MappingForm(
        request.POST or None,
        kind=run.kind,
        headers=headers,
        initial_map=initial_map,
        initial={"date_format": chosen.date_format if chosen else ""},
    )
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        try:
            resolve_mapping(KINDS[run.kind], headers, mapping)
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
            "nav": "imports",
        },
    )


@require_http_methods(["GET"])
@settings_managers_only
def import_detail(request, pk: int):
    run = get_object_or_404(ImportRun.objects.select_related("created_by"), pk=pk)
    context = {"run": run, "progress": services.import_progress(run), "nav": "imports"}
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
        stream = (writer.writerow(r) for r in itertools.chain([header], rows))
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
