"""API endpoints to start an import and follow its progress (sales ops and admins)."""

import json

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from keyplan.imports import services
from keyplan.imports.engine import ImportFailed, resolve_mapping
from keyplan.imports.forms import DATE_FORMATS
from keyplan.imports.kinds import KINDS
from keyplan.imports.models import ImportRun
from keyplan.imports.sources import SourceError, open_source
from keyplan.imports.uploads import upload_refusal
from keyplan.imports.wording import API, audience
from keyplan.operations.health import worker_away


class ManagesSettings(permissions.BasePermission):
    message = "Only administrators and sales operations import data."

    def has_permission(self, request, view):
        return bool(
            request.user and request.user.is_authenticated and request.user.manages_settings
        )


class WorkerAwaySerializer(serializers.Serializer):
    last_seen = serializers.DateTimeField(
        allow_null=True,
        help_text="When a background worker was last heard from; null if never on this server",
    )


class ImportRunSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(
        source="created_by.username", read_only=True, allow_null=True
    )
    progress = serializers.SerializerMethodField()
    worker_away = serializers.SerializerMethodField(
        help_text="For an import not yet finished: set when no background worker is running, "
        "so the import waits until an administrator starts one (null otherwise)"
    )

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "kind",
            "file_name",
            "file_sha256",
            "mapping",
            "dry_run",
            "skip_invalid",
            "status",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "rows",
            "created",
            "updated",
            "unchanged",
            "rejected",
            "skipped",
            "skipped_rows",
            "error_count",
            "errors",
            "committed",
            "failure",
            "worker_lost",
            "seconds",
            "write_lock_seconds",
            "write_steps",
            "progress",
            "worker_away",
        ]
        read_only_fields = fields

    def get_progress(self, run) -> dict:
        return services.import_progress(run)

    @extend_schema_field(WorkerAwaySerializer(allow_null=True))
    def get_worker_away(self, run):
        if run.finished:
            return None
        # Asked once per answer, not once per import of a list.
        if "worker_away" not in self.context:
            self.context["worker_away"] = worker_away()
        away = self.context["worker_away"]
        return WorkerAwaySerializer(away).data if away else None


class ImportStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=list(KINDS))
    file = serializers.FileField()
    mapping = serializers.JSONField(
        required=False,
        default=dict,
        help_text='Canonical field → column of the file, e.g. {"amount": "Net Value"}',
    )
    dry_run = serializers.BooleanField(required=False, default=False)
    skip_invalid = serializers.BooleanField(required=False, default=False)
    date_format = serializers.ChoiceField(
        choices=[c for c, _ in DATE_FORMATS if c], required=False, allow_blank=True
    )

    def validate_mapping(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                raise serializers.ValidationError("must be a JSON object") from None
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise serializers.ValidationError("must map field names to column names")
        return value


class ImportRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Imports: start one with a file upload (it runs in the background), then follow
    ``progress`` and ``status`` until ``done`` or ``failed``."""

    queryset = ImportRun.objects.select_related("created_by").order_by("-created_at", "-pk")
    serializer_class = ImportRunSerializer
    permission_classes = [ManagesSettings]
    parser_classes = [MultiPartParser, FormParser]
    filterset_fields = ["kind", "status"]

    @extend_schema(request=ImportStartSerializer, responses={202: ImportRunSerializer})
    def create(self, request):
        data = request.data
        refusal = upload_refusal(request)
        if refusal:
            return Response({"file": [refusal]}, status=status.HTTP_400_BAD_REQUEST)
        start = ImportStartSerializer(data=data)
        start.is_valid(raise_exception=True)
        data = start.validated_data
        run = None
        try:
            with transaction.atomic():
                run = services.import_upload(
                    upload=data["file"], kind=data["kind"], user=request.user
                )
                with audience(API):
                    self._check_header(run, data["mapping"])
                services.import_queue(
                    run=run,
                    mapping=data["mapping"],
                    dry_run=data["dry_run"],
                    skip_invalid=data["skip_invalid"],
                    date_format=data.get("date_format", ""),
                    via=API,
                )
        except ImportFailed as exc:
            if run is not None:  # the upload is not kept when the import is refused
                services.import_stored_path(run).unlink(missing_ok=True)
            return Response({"file": [str(exc)]}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ImportRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)

    @staticmethod
    def _check_header(run, mapping):
        """Refuse a file whose columns cannot make the kind before queueing it."""
        try:
            source = open_source(services.import_stored_path(run), name=run.file_name)
            for _number, values in source.rows():
                headers = [h.strip().lstrip("\ufeff") for h in values]
                resolve_mapping(KINDS[run.kind], headers, mapping)
                return
        except SourceError as exc:
            raise ImportFailed(str(exc)) from None
        raise ImportFailed("The file has no rows at all.")

    @extend_schema(
        request=None,
        responses={
            202: OpenApiResponse(
                ImportRunSerializer,
                description="The kept file is queued again: a new import (a new run of the "
                "history, with the same kind, mapping, options and dry run or not), to be "
                "followed as any other.",
            ),
            409: OpenApiResponse(
                description="Not started again, ``detail`` says why: only an import the "
                "background worker stopped (``worker_lost``) can be, once; the uploaded "
                "file must still be kept on the server exactly as uploaded (its SHA-256 is "
                "checked)."
            ),
        },
    )
    @action(detail=True, methods=["post"], url_path="import-again")
    def import_again(self, request, pk=None):
        """Start the file of an import the background worker lost once more (the web
        page's "Import this file again"): same rules, same service."""
        lost = self.get_object()
        try:
            run = services.import_again(run=lost, user=request.user, via=API)
        except ImportFailed as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(ImportRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
