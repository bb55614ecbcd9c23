"""Generic views every list page is declared with (queryset, filterset, table)."""

from django.db.models.fields import BLANK_CHOICE_DASH
from django.forms import NullBooleanSelect
from django.shortcuts import render
from django.views.generic import TemplateView
from django_tables2 import RequestConfig


class ObjectListView(TemplateView):
    """A filterable, sortable, paginated list of what the user may see.

    Subclasses declare ``model``, ``filterset_class``, ``table_class`` and optionally
    ``related``/``prefetch``. The queryset always starts from
    ``model.objects.visible_to(user)`` (or ``all()`` for models everyone sees). An HTMX
    request gets only the table fragment, so filtering and paging refresh in place.
    """

    model = None
    filterset_class = None
    table_class = None
    related: tuple[str, ...] = ()
    prefetch: tuple[str, ...] = ()
    visible_to_all = False
    per_page = 50
    nav = ""
    title = ""
    template_name = "core/object_list.html"
    fragment_template = "core/table_fragment.html"

    def get_queryset(self):
        manager = self.model.objects
        qs = manager.all() if self.visible_to_all else manager.visible_to(self.request.user)
        if self.related:
            qs = qs.select_related(*self.related)
        if self.prefetch:
            qs = qs.prefetch_related(*self.prefetch)
        return qs

    def get_template_names(self):
        if self.request.headers.get("HX-Request") and not self.request.headers.get("HX-Boosted"):
            return [self.fragment_template]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset_class(
            self.request.GET, queryset=self.get_queryset(), request=self.request
        )
        for field in filterset.form.fields.values():
            # A filter left empty does not filter: say so, instead of Django's "---------".
            if getattr(field, "empty_label", None) == BLANK_CHOICE_DASH[0][1]:
                field.empty_label = "Any"
            # A yes/no filter left empty reads "Any" too, not django-filter's "Unknown".
            if isinstance(field.widget, NullBooleanSelect):
                choices = list(field.widget.choices)
                if str(choices[0][1]) == "Unknown":
                    field.widget.choices = [(choices[0][0], "Any"), *choices[1:]]
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        table = self.table_class(rows)
        RequestConfig(self.request, paginate={"per_page": self.per_page}).configure(table)
        context.update(
            filterset=filterset,
            table=table,
            nav=self.nav,
            title=self.title or self.model._meta.verbose_name_plural.capitalize(),
        )
        return context


def confirm_delete_page(
    request, *, nav, subject, back, goes_with_it, warnings=(), refusal=None, status=200
):
    """The one page that asks before a record goes to the recycle bin (an account, a
    contact, an opportunity): what goes with it, what it changes, or why it cannot go."""
    return render(
        request,
        "accounts/confirm_delete.html",
        {
            "nav": nav,
            "subject": subject,
            "back": back,
            "goes_with_it": goes_with_it,
            "warnings": list(warnings),
            "refusal": refusal,
        },
        status=status,
    )
