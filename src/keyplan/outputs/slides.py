"""What every keyplan deck is made of (python-pptx): 16:9 blank slides with a title and
a subtitle, text boxes laid out so nothing runs off a slide, lists and native tables
that go on to continuation slides, native (editable) bar charts and figure tiles. The
account plan's deck (``deck``), the territory plan's (``territory_deck``) and a review
sitting's pack (``review_pack``) are made of these.

Nothing runs off a slide. Text is laid out by an estimate that errs on the large side
(``text_height``): a character is taken as 0.6 of the font size wide (DejaVu Sans, the
widest font LibreOffice falls back to, averages 0.55; Calibri 0.5) and a line as 1.2 of
it high. A list that does not fit its box goes on to a continuation slide ("… (2 of 3)"),
and a single text longer than ``LONGEST`` characters is cut after a whole word with "…"
(the PDF and the workbook carry it whole). Each text box also asks the viewer to shrink
text on overflow, as a second line of defence."""

import io
import math

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Inches, Pt

from keyplan.core import words
from keyplan.outputs.content import plain

SLIDE_W, SLIDE_H = 13.333, 7.5  # inches, 16:9
LEFT, TOP, BODY_W, BODY_H = 0.6, 1.45, 12.13, 5.7
CHAR_EM, LINE_EM = 0.6, 1.2
MARGIN_X, MARGIN_Y = 0.1, 0.05  # a text box's inner margins, inches
LONGEST = 420
NAVY = RGBColor(0x1F, 0x4E, 0x79)
GREY = RGBColor(0x59, 0x59, 0x59)
SERIES_COLORS = (NAVY, RGBColor(0x9D, 0xC3, 0xE6), RGBColor(0xC0, 0x50, 0x4D), GREY)


def text_height(text: str, size: float, width: float) -> float:
    """Inches ``text`` takes at ``size`` points in a box ``width`` inches wide (see the
    module's rule)."""
    usable = max(0.5, width - 2 * MARGIN_X) * 72
    per_line = max(1, int(usable / (CHAR_EM * size)))
    lines = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
    return lines * size * LINE_EM / 72


def short(text, limit: int = LONGEST) -> str:
    return words.shortened(plain(text), limit)


class Heading(list):
    """A group of paragraphs that heads what follows (an objective, a strategy,
    "Milestones"): never the last thing on a slide."""


def keep_headings_with_next(groups: list[list]) -> list[list]:
    """Each ``Heading`` group travels with the group after it, so no slide ends on a
    heading whose items are on the next one."""
    out: list[list] = []
    carried: list = []
    for n, group in enumerate(groups):
        if isinstance(group, Heading) and n < len(groups) - 1:
            carried += group
            continue
        out.append(carried + list(group))
        carried = []
    return out


class SlideDeck:
    """A 16:9 deck of blank slides and the pieces every keyplan deck is made of; a
    document's deck (an account plan, a territory plan, a review sitting) subclasses it
    and adds its slides."""

    def __init__(self, doc):
        self.doc = doc
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = Inches(SLIDE_W), Inches(SLIDE_H)
        self.blank = self.prs.slide_layouts[6]
        self.boxes: list[tuple] = []  # (slide number, estimated height, box height): tests

    # -- building blocks ------------------------------------------------------------
    def slide(self, title: str, subtitle: str = ""):
        slide = self.prs.slides.add_slide(self.blank)
        self.text(slide, short(title, 60), 0.6, 0.3, 12.13, 0.62, size=28, bold=True, color=NAVY)
        if subtitle:  # at most two lines
            self.text(slide, short(subtitle, 300), 0.6, 0.9, 12.13, 0.55, size=12, color=GREY)
        return slide

    def text(self, slide, text, x, y, w, h, *, size=14, bold=False, color=None):
        """A text box of plain text (one paragraph per line) that fits: its estimated
        height is recorded, and the viewer may shrink it should a font run wider."""
        return self.paragraphs(slide, [(text, size, bold, color, 0)], x, y, w, h)

    def paragraphs(self, slide, paras, x, y, w, h):
        """``paras``: (text, size, bold, colour, indent level) each."""
        box = slide.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
        frame = box.text_frame
        frame.word_wrap = True
        frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        frame.margin_left = frame.margin_right = Inches(MARGIN_X)
        frame.margin_top = frame.margin_bottom = Inches(MARGIN_Y)
        height = 2 * MARGIN_Y
        for i, (text, size, bold, color, level) in enumerate(paras):
            p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            indent = 0.3 * level
            if level:
                p.level = min(level, 4)
            run = p.add_run()
            run.text = plain(text)
            run.font.size = Pt(size)
            run.font.bold = bold
            if color is not None:
                run.font.color.rgb = color
            p.space_after = Pt(size * 0.3)
            height += text_height(run.text, size, w - indent)
            if i < len(paras) - 1:
                height += size * 0.3 / 72
        self.boxes.append((len(self.prs.slides), height, h))
        return box

    def title_page(self, line: str):
        """The opening slide: the document's title, one line under it (period, owner,
        status …) and who prepared it when."""
        doc = self.doc
        slide = self.prs.slides.add_slide(self.blank)
        self.text(slide, short(doc.title, 90), 0.8, 2.2, 11.7, 1.6, size=36, bold=True, color=NAVY)
        self.text(slide, short(line, 140), 0.8, 3.9, 11.7, 0.6, size=18, color=GREY)
        self.text(
            slide,
            f"Prepared by {doc.generated_by} on {words.day(doc.generated_on)}",
            0.8,
            4.6,
            11.7,
            0.5,
            size=14,
            color=GREY,
        )
        return slide

    def pages(self, items, heights, capacity):
        """Split ``items`` into pages whose heights add up to at most ``capacity``."""
        pages, page, used = [], [], 0.0
        for item, height in zip(items, heights, strict=True):
            if page and used + height > capacity:
                pages.append(page)
                page, used = [], 0.0
            page.append(item)
            used += height
        if page or not pages:
            pages.append(page)
        return pages

    def continued(self, title: str, n: int, of: int) -> str:
        return title if of == 1 else f"{title} ({n} of {of})"

    def bullet_slides(self, title, paras, subtitle="", empty="None."):
        """Slides of paragraphs (grouped: a list of para tuples per item, never split)."""
        if not paras:
            slide = self.slide(title, subtitle)
            self.text(slide, empty, LEFT, TOP, BODY_W, 0.5, size=16, color=GREY)
            return
        paras = keep_headings_with_next(paras)
        heights = [
            sum(text_height(t, s, BODY_W - 0.3 * lv) + s * 0.3 / 72 for t, s, _b, _c, lv in group)
            for group in paras
        ]
        pages = self.pages(paras, heights, BODY_H - 2 * MARGIN_Y - 0.1)
        for n, page in enumerate(pages, start=1):
            slide = self.slide(self.continued(title, n, len(pages)), subtitle)
            self.paragraphs(slide, [p for group in page for p in group], LEFT, TOP, BODY_W, BODY_H)

    def table_slides(self, title, header, rows, widths, subtitle="", size=11, numeric=()):
        """A native table over as many slides as its rows need."""
        if not rows:
            slide = self.slide(title, subtitle)
            self.text(slide, "None.", LEFT, TOP, BODY_W, 0.5, size=16, color=GREY)
            return
        scale = BODY_W / sum(widths)
        widths = [w * scale for w in widths]

        def row_height(cells, bold=False):
            return (
                max(text_height(str(c), size, w) for c, w in zip(cells, widths, strict=True))
                + 2 * MARGIN_Y
                + 0.04
            )

        head_h = row_height(header)
        heights = [row_height(r) for r in rows]
        pages = self.pages(rows, heights, BODY_H - head_h)
        for n, page in enumerate(pages, start=1):
            slide = self.slide(self.continued(title, n, len(pages)), subtitle)
            page_heights = [head_h] + [row_height(r) for r in page]
            shape = slide.shapes.add_table(
                len(page) + 1,
                len(header),
                Inches(LEFT),
                Inches(TOP),
                Inches(BODY_W),
                Inches(sum(page_heights)),
            )
            table = shape.table
            for j, w in enumerate(widths):
                table.columns[j].width = Inches(w)
            for i, h in enumerate(page_heights):
                table.rows[i].height = Inches(h)
            for i, cells in enumerate([header] + page):
                for j, value in enumerate(cells):
                    cell = table.cell(i, j)
                    cell.margin_left = cell.margin_right = Inches(MARGIN_X)
                    cell.margin_top = cell.margin_bottom = Inches(MARGIN_Y)
                    frame = cell.text_frame
                    frame.word_wrap = True
                    para = frame.paragraphs[0]
                    run = para.add_run()
                    run.text = plain(value)
                    run.font.size = Pt(size)
                    run.font.bold = i == 0
                    if j in numeric:
                        para.alignment = PP_ALIGN.RIGHT
            self.boxes.append((len(self.prs.slides), sum(page_heights), BODY_H))

    def typed_table_slides(self, t, subtitle="", *, size=11, title=None):
        """A ``tables.Table`` (the workbook's sheet) as native tables over as many slides
        as its rows need: each value in words, figures right-aligned, the columns as wide
        as the workbook's in proportion."""
        from keyplan.outputs.tables import TEXT, in_words

        self.table_slides(
            title or t.title,
            [c.name for c in t.columns],
            [[in_words(v, c.kind) for v, c in zip(row, t.columns, strict=True)] for row in t.rows],
            [c.width for c in t.columns],
            subtitle,
            size=size,
            numeric=tuple(j for j, c in enumerate(t.columns) if c.kind != TEXT),
        )

    def bar_chart(
        self,
        slide,
        categories,
        series,
        x,
        y,
        w,
        h,
        *,
        horizontal=True,
        stacked=False,
        fmt="#,##0",
        title="",
    ):
        """A native (editable) bar or column chart: ``series`` is (name, values) each,
        one colour per series, the values written on the bars."""
        data = CategoryChartData()
        data.categories = categories
        for name, values in series:
            data.add_series(name, [float(v or 0) for v in values], number_format=fmt)
        kind = {
            (True, False): XL_CHART_TYPE.BAR_CLUSTERED,
            (False, False): XL_CHART_TYPE.COLUMN_CLUSTERED,
            (True, True): XL_CHART_TYPE.BAR_STACKED,
            (False, True): XL_CHART_TYPE.COLUMN_STACKED,
        }[(horizontal, stacked)]
        chart = slide.shapes.add_chart(kind, Inches(x), Inches(y), Inches(w), Inches(h), data).chart
        chart.has_legend = len(series) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = Pt(11)
        plot = chart.plots[0]
        plot.has_data_labels = True
        labels = plot.data_labels
        # Stacked, a zero segment's "0" would sit on top of the next segment's label.
        label_fmt = f"{fmt};-{fmt};" if stacked else fmt
        labels.number_format, labels.number_format_is_linked = label_fmt, False
        labels.font.size = Pt(10)
        labels.position = XL_LABEL_POSITION.CENTER if stacked else XL_LABEL_POSITION.OUTSIDE_END
        if title:
            chart.has_title = True
            chart.chart_title.text_frame.text = title
            chart.chart_title.text_frame.paragraphs[0].runs[0].font.size = Pt(13)
        chart.category_axis.tick_labels.font.size = Pt(11)
        chart.value_axis.tick_labels.font.size = Pt(10)
        chart.value_axis.has_major_gridlines = False
        chart.value_axis.tick_labels.number_format = fmt
        chart.value_axis.tick_labels.number_format_is_linked = False
        if horizontal:  # largest first, at the top
            chart.category_axis.reverse_order = True
        for s, color in zip(plot.series, SERIES_COLORS, strict=False):
            s.format.fill.solid()
            s.format.fill.fore_color.rgb = color
        return chart

    def tiles(self, slide, facts, *, per_row=4, tile_h=1.25, gap=0.15, top=TOP) -> float:
        """Figures as tiles, ``per_row`` a row: the value large, its label under it
        (a value's "(…)" goes with the label). Answers the height the tiles take."""
        tile_w = (BODY_W - (per_row - 1) * gap) / per_row
        for k, fact in enumerate(facts):
            x = LEFT + (k % per_row) * (tile_w + gap)
            y = top + (k // per_row) * (tile_h + gap)
            value, _sep, rest = fact.text.partition(" (")
            paras = [
                (short(value, 40), 18, True, NAVY, 0),
                (short(fact.label + (f" ({rest}" if rest else ""), 110), 11, False, GREY, 0),
            ]
            self.paragraphs(slide, paras, x, y, tile_w, tile_h)
        rows = math.ceil(len(facts) / per_row)
        return rows * (tile_h + gap)

    def words_under(self, slide, text: str, y: float, *, size=12):
        """As much of ``text`` as the room from ``y`` to the body's foot holds (cut after
        a whole word)."""
        room = BODY_H - (y - TOP)
        limit = len(text)
        while limit > 80 and text_height(short(text, limit), size, BODY_W) + 0.2 > room:
            limit -= 40
        self.text(slide, short(text, limit), LEFT, y, BODY_W, room, size=size)

    def save(self) -> bytes:
        self.prs.core_properties.title = self.doc.title[:255]
        self.prs.core_properties.author = str(self.doc.generated_by)[:255]
        buffer = io.BytesIO()
        self.prs.save(buffer)
        return buffer.getvalue()
