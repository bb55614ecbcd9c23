"""``GET /api/v1/plans/{id}/export?format=pptx|pdf|xlsx|md``: the plan as a file;
``GET /api/v1/territory-plans/{id}/export/?format=…``: the territory plan as a file;
``GET /api/v1/review-packs/?rep=ID&quarter=2027-Q1&format=pptx|pdf``: a rep's quarterly
review sitting pack."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from keyplan.outputs.content import FORMATS
from keyplan.outputs.export import (
    UnknownFormat,
    attachment,
    review_pack_export,
    visible_export,
    visible_territory_export,
)
from keyplan.outputs.review_pack import PACK_FORMATS, PackRefused


class IgnoreFormatParameter(DefaultContentNegotiation):
    """``?format=`` names the file's format here, not DRF's renderer: errors are JSON
    whatever it says (DRF would answer 404 for a format it has no renderer for)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _format_parameter(formats) -> OpenApiParameter:
    return OpenApiParameter(
        "format",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        required=True,
        enum=list(formats),
        description=" or ".join(formats),
    )


def _file_responses(formats, what: str) -> dict:
    return {
        (200, FORMATS[fmt].split(";")[0]): OpenApiResponse(
            OpenApiTypes.BINARY, description=f"{what} as {fmt}"
        )
        for fmt in formats
    } | {400: OpenApiResponse(description="Not a format it is exported in"), 404: None}


class FileView(APIView):
    """A document as a file: ``export(pk=, user=, fmt=)`` gives it, or None for a
    document the user cannot see (404), or raises ``UnknownFormat`` (400 on format)."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = IgnoreFormatParameter
    missing = "No such document."
    export: staticmethod  # each view names its exporter

    def get(self, request, id: int):
        try:
            exported = type(self).export(
                pk=id, user=request.user, fmt=request.query_params.get("format", "")
            )
        except UnknownFormat as exc:
            raise ValidationError({"format": [str(exc)]}) from None
        if exported is None:
            raise NotFound(self.missing)
        response = HttpResponse(exported.content, content_type=exported.content_type)
        return attachment(response, exported.filename)


class PlanExportView(FileView):
    missing = "No such plan."
    export = staticmethod(visible_export)

    @extend_schema(
        operation_id="plans_export",
        summary="The plan as a file",
        description=(
            "The account plan as a PowerPoint deck (pptx), a PDF, an Excel workbook (xlsx) "
            "or Markdown (md), with the account's name in the file name. 404 for a plan "
            "the user cannot see; 400 for another format."
        ),
        parameters=[_format_parameter(FORMATS)],
        responses=_file_responses(FORMATS, "The plan"),
    )
    def get(self, request, id: int):
        return super().get(request, id)


class TerritoryPlanExportView(FileView):
    missing = "No such territory plan."
    export = staticmethod(visible_territory_export)

    @extend_schema(
        operation_id="territory_plans_export",
        summary="The territory plan as a file",
        description=(
            "The territory plan as a PowerPoint deck (pptx), a PDF, an Excel workbook (xlsx) "
            "or Markdown (md), with the rep's name and the fiscal year in the file name. "
            "404 for a plan the user cannot see (the same rule as reading it); 400 for "
            "another format."
        ),
        parameters=[_format_parameter(FORMATS)],
        responses=_file_responses(FORMATS, "The territory plan"),
    )
    def get(self, request, id: int):
        return super().get(request, id)


class ReviewPackView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = IgnoreFormatParameter

    @extend_schema(
        operation_id="review_packs",
        summary="A rep's quarterly review sitting pack",
        description=(
            "All of one rep's active account plans running in the quarter, in one deck "
            "(pptx) or PDF: the sitting (rep, manager, quarter, the plans with their "
            "health), then per plan: at a glance, the forecast against the goal, "
            "coverage, health reasons, overdue actions, what changed since the last "
            "version and the decisions waiting. Only the plans the user may see; 404 for "
            "a rep whose plans the user does not see; 400 naming a wrong parameter."
        ),
        parameters=[
            OpenApiParameter("rep", OpenApiTypes.INT, OpenApiParameter.QUERY, required=True),
            OpenApiParameter(
                "quarter",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=True,
                description="e.g. 2027-Q1",
            ),
            _format_parameter(PACK_FORMATS),
        ],
        responses=_file_responses(PACK_FORMATS, "The pack"),
    )
    def get(self, request):
        params = request.query_params
        try:
            exported = review_pack_export(
                rep_id=params.get("rep", ""),
                quarter=params.get("quarter", ""),
                user=request.user,
                fmt=params.get("format", ""),
            )
        except PackRefused as exc:
            raise ValidationError({exc.parameter: [str(exc)]}) from None
        if exported is None:
            raise NotFound("No such rep.")
        response = HttpResponse(exported.content, content_type=exported.content_type)
        return attachment(response, exported.filename)
