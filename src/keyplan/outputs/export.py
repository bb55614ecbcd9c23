"""One entry for every way a plan is exported (the page's download buttons, the API,
``keyplan export-plan``): the plan as ``user`` may see it, rendered in one format."""

from dataclasses import dataclass

from keyplan.outputs.content import FORMATS, plan_document, visible_plan_or_none


class UnknownFormat(ValueError):
    """A format keyplan does not export; the message names the ones it does."""

    def __init__(self, value):
        shown = repr(value) if value not in (None, "") else "nothing"
        super().__init__(
            f"format: {shown} is not a format a plan is exported in; "
            f"use one of {', '.join(FORMATS)}."
        )


@dataclass
class ExportedFile:
    content: bytes
    content_type: str
    filename: str


def renderer(fmt: str):
    if fmt not in FORMATS:
        raise UnknownFormat(fmt)
    from keyplan.outputs import deck, markdown, pdf, workbook

    return {"pptx": deck, "pdf": pdf, "xlsx": workbook, "md": markdown}[fmt].render


def export_plan(*, plan, user, fmt: str) -> ExportedFile:
    """``plan`` (read through its visibility for ``user``) as one file."""
    render = renderer(fmt)
    doc = plan_document(plan, user)
    return ExportedFile(render(doc), FORMATS[fmt], f"{doc.file_stem}.{fmt}")


def visible_export(*, pk, user, fmt: str) -> ExportedFile | None:
    """The file, or None when ``user`` cannot see plan ``pk`` (or it does not exist:
    the same answer, so an id out of reach tells nothing). Raises ``UnknownFormat`` for
    a plan the user sees in a format keyplan does not export."""
    plan = visible_plan_or_none(user, pk)
    if plan is None:
        return None
    return export_plan(plan=plan, user=user, fmt=fmt)


def attachment(response, filename: str):
    """Content-Disposition with the account's name: ASCII for old clients, UTF-8 in
    ``filename*`` (RFC 6266) for names with accents."""
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "ignore").decode() or "plan"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
