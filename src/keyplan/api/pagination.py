from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class KeyplanPagination(PageNumberPagination):
    """Page-number pagination with a bounded page size: no endpoint returns an
    unbounded list."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def paginated(name: str, row: serializers.Serializer, **extra: serializers.Field):
    """The schema of a page an APIView builds with ``KeyplanPagination`` (``count``,
    ``next``, ``previous``, ``results`` of ``row``), with the ``extra`` fields the view
    adds beside the results."""
    return inline_serializer(
        name,
        {
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": row,
            **extra,
        },
    )
