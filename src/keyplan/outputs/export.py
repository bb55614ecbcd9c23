"""One entry for every way a document is exported (the pages' download buttons, the API,
``keyplan export-plan`` and ``export-territory-plan``): an account plan or a territory
plan as ``user`` may see it, rendered in one format."""

from dataclasses import dataclass

from keyplan.outputs.content import FORMATS, plan_document, visible_plan_or_none
from keyplan.territory.analysis.cache import todays_facts


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


def territory_renderer(fmt: str):
    if fmt not in FORMATS:
        raise UnknownFormat(fmt)
    from keyplan.outputs import territory_deck, territory_files

    return {
        "pptx": territory_deck.render,
        "pdf": territory_files.render_pdf,
        "xlsx": territory_files.render_xlsx,
        "md": territory_files.render_md,
    }[fmt]


@todays_facts()  # never figures from before a change in a file kept
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


@todays_facts()  # never figures from before a change in a file kept
def export_territory_plan(*, plan, user, fmt: str) -> ExportedFile:
    """The territory ``plan`` (read through its visibility for ``user``) as one file."""
    from keyplan.outputs.territory_content import territory_document

    render = territory_renderer(fmt)
    doc = territory_document(plan, user)
    return ExportedFile(render(doc), FORMATS[fmt], f"{doc.file_stem}.{fmt}")


def visible_territory_export(*, pk, user, fmt: str) -> ExportedFile | None:
    """As ``visible_export``, for territory plan ``pk``: None when ``user`` cannot see
    it (the territory plan page's own rule, ``TerritoryPlan.objects.visible_to``)."""
    from keyplan.outputs.territory_content import visible_territory_plan_or_none

    plan = visible_territory_plan_or_none(user, pk)
    if plan is None:
        return None
    return export_territory_plan(plan=plan, user=user, fmt=fmt)


@todays_facts()  # never figures from before a change in a file kept
def review_pack_export(*, rep_id, quarter, user, fmt: str) -> ExportedFile | None:
    """A rep's quarterly review sitting pack as a deck or a PDF: None when ``user``
    does not see rep ``rep_id`` (404, as their plans); ``PackRefused`` naming the
    parameter for a quarter, a rep id or a format that is not one."""
    from keyplan.outputs import review_deck
    from keyplan.outputs.review_pack import (
        PACK_FORMATS,
        PackRefused,
        parse_quarter,
        review_pack,
        visible_rep_or_none,
    )

    if fmt not in PACK_FORMATS:
        shown = repr(fmt) if fmt not in (None, "") else "nothing"
        raise PackRefused(
            "format", f"{shown} is not a format a review pack comes in; use pptx or pdf."
        )
    if not str(rep_id or "").isdigit():
        shown = repr(rep_id) if rep_id not in (None, "") else "nothing"
        raise PackRefused("rep", f"{shown} is not a rep's id; give the number, e.g. rep=12.")
    period = parse_quarter(quarter)
    rep = visible_rep_or_none(user, rep_id)
    if rep is None:
        return None
    pack = review_pack(rep=rep, quarter=period, user=user)
    render = review_deck.render if fmt == "pptx" else review_deck.render_pdf
    return ExportedFile(render(pack), FORMATS[fmt], f"{pack.file_stem}.{fmt}")


def attachment(response, filename: str):
    """Content-Disposition with the account's name: ASCII for old clients, UTF-8 in
    ``filename*`` (RFC 6266) for names with accents."""
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "ignore").decode() or "plan"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
