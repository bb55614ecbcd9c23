"""Ordering for API lists."""

from rest_framework.filters import OrderingFilter


class StableOrderingFilter(OrderingFilter):
    """``?ordering=`` over the view's ``ordering_fields``, with the primary key as the
    last tie-breaker: rows with equal values (many accounts in one country) keep one
    order from page to page, so paging never shows a row twice or skips one."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if ordering and not any(f.lstrip("-") in ("pk", "id") for f in ordering):
            ordering = [*ordering, "pk"]
        return ordering
