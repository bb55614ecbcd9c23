from django import forms

from keyplan.imports.kinds import KINDS
from keyplan.imports.kinds.base import field_label

DATE_FORMATS = [
    ("", "Detect (ISO dates; others as the file's unambiguous dates show)"),
    ("dmy", "Day/month/year (31/12/2025)"),
    ("mdy", "Month/day/year (12/31/2025)"),
    ("d.m.y", "Day.month.year (31.12.2025)"),
]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k.replace("_", " ").capitalize()) for k in KINDS])
    file = forms.FileField(help_text="CSV (any delimiter and encoding) or Excel .xlsx")


class MappingForm(forms.Form):
    """One select per canonical field, listing the file's columns."""

    date_format = forms.ChoiceField(choices=DATE_FORMATS, required=False)
    skip_invalid = forms.BooleanField(
        required=False,
        label="Import the valid rows and set the invalid ones aside",
        help_text="Otherwise nothing is imported if any row is invalid.",
    )
    save_as = forms.CharField(
        required=False,
        max_length=120,
        label="Save this mapping as",
        help_text="A name, to reuse it for the next file from the same source",
    )

    def __init__(self, *args, kind: str, headers: list[str], initial_map: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind_cls = KINDS[kind]
        choices = [("", "— not in this file —")] + [(h, h) for h in headers if h]
        self.field_names = []
        for f in self.kind_cls.fields:
            name = f"map_{f.name}"
            self.fields[name] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=f.label + (" *" if f.required else ""),
                help_text=f.help,
                initial=initial_map.get(f.name, ""),
            )
            self.field_names.append(name)

    def mapping(self) -> dict[str, str]:
        return {
            name[4:]: self.cleaned_data[name]
            for name in self.field_names
            if self.cleaned_data.get(name)
        }

    def clean(self):
        data = super().clean()
        used: dict[str, str] = {}
        for name in self.field_names:
            column = data.get(name)
            if not column:
                continue
            if column in used:
                self.add_error(name, f"“{column}” is already mapped to {used[column]}.")
            used[column] = field_label(self.kind_cls, name[4:])
        return data

    def mapped_fields(self):
        return [self[name] for name in self.field_names]
