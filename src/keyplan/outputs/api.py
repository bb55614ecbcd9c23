"""``GET /api/v1/plans/{id}/export?format=pptx|pdf|xlsx|md``: the plan as a file."""

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from keyplan.outputs.content import FORMATS
from keyplan.outputs.export import UnknownFormat, attachment, visible_export


class IgnoreFormatParameter(DefaultContentNegotiation):
    """``?format=`` names the file's format here, not DRF's renderer: errors are JSON
    whatever it says (DRF would answer 404 for a format it has no renderer for)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class PlanExportView(APIView):
    renderer_classes = [JSONRenderer]
    content_negotiation_class = IgnoreFormatParameter

    @extend_schema(
        operation_id="plans_export",
        summary="The plan as a file",
        description=(
            "The account plan as a PowerPoint deck (pptx), a PDF, an Excel workbook (xlsx) "
            "or Markdown (md), with the account's name in the file name. 404 for a plan "
            "the user cannot see; 400 for another format."
        ),
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=True,
                enum=list(FORMATS),
                description="pptx, pdf, xlsx or md",
            )
        ],
        responses={
            (200, media.split(";")[0]): OpenApiResponse(
                OpenApiTypes.BINARY, description=f"The plan as {fmt}"
            )
            for fmt, media in FORMATS.items()
        }
        | {400: OpenApiResponse(description="Not a format plans are exported in"), 404: None},
    )
    def get(self, request, id: int):
        try:
            exported = visible_export(
                pk=id, user=request.user, fmt=request.query_params.get("format", "")
            )
        except UnknownFormat as exc:
            raise ValidationError({"format": [str(exc)]}) from None
        if exported is None:
            raise NotFound("No such plan.")
        response = HttpResponse(exported.content, content_type=exported.content_type)
        return attachment(response, exported.filename)
