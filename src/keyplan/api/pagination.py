from rest_framework.pagination import PageNumberPagination


class KeyplanPagination(PageNumberPagination):
    """Page-number pagination with a bounded page size: no endpoint returns an
    unbounded list."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
