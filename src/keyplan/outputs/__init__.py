"""The plan leaves the building: an account plan as a deck, a PDF, a workbook and
Markdown, each rendered from one selector (``content.plan_document``)."""
