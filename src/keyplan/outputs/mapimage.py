"""The relationship map as a picture for the deck and the PDF (Pillow, fonts from the
machine; no network): who reports to whom as a tree, each person's box coloured by
their attitude toward us, its border as thick as our relationship is strong, and their
role in the decision written in it.

Layout: a person hangs under their manager when the manager is on the map; everyone
else is a root. Leaves take consecutive columns and a manager sits centred over their
people (a tidy tree), so no two boxes overlap however the reporting lines run."""

import io
from pathlib import Path

from keyplan.core import words

BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 250, 96, 24, 56, 30
MOST_PEOPLE = 60  # beyond this the picture would be unreadable on a slide
ATTITUDE_FILL = {"supporter": "#d9f2e3", "neutral": "#eeeeee", "detractor": "#f9d9d6"}
STRENGTH_BORDER = {"none": 1, "weak": 2, "medium": 4, "strong": 7}
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation")
FONT_FILES = ("DejaVuSans.ttf", "LiberationSans-Regular.ttf")
BOLD_FILES = ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf")


def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    for folder in FONT_DIRS:
        for name in BOLD_FILES if bold else FONT_FILES:
            path = Path(folder) / name
            if path.exists():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


def _fit(draw, text: str, font, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _layout(contacts) -> tuple[dict, int, int]:
    """(pk → (column, depth)), the number of columns and of levels."""
    by_pk = {c.pk: c for c in contacts}
    children: dict = {}
    roots = []
    for c in contacts:
        if c.reports_to_id in by_pk and c.reports_to_id != c.pk:
            children.setdefault(c.reports_to_id, []).append(c)
        else:
            roots.append(c)
    pos: dict = {}
    next_col = [0]
    placed: set = set()

    def place(c, depth):
        if c.pk in placed:  # a reporting loop in imported data: cut where it closes
            return None
        placed.add(c.pk)
        kids = [k for k in children.get(c.pk, []) if k.pk not in placed]
        cols = [x for x in (place(k, depth + 1) for k in kids) if x is not None]
        col = (cols[0] + cols[-1]) / 2 if cols else next_col[0]
        if not cols:
            next_col[0] += 1
        pos[c.pk] = (col, depth)
        return col

    for r in roots:
        place(r, 0)
    for c in contacts:  # anyone only reachable through a loop
        if c.pk not in placed:
            place(c, 0)
    depth = max((d for _, d in pos.values()), default=0) + 1
    return pos, max(next_col[0], 1), depth


def render_png(contacts, account_name: str) -> tuple[bytes, int, int] | None:
    """The map as PNG bytes with its pixel size, or None when nobody is on it."""
    from PIL import Image, ImageDraw

    contacts = list(contacts)[:MOST_PEOPLE]
    if not contacts:
        return None
    pos, cols, levels = _layout(contacts)
    width = MARGIN * 2 + cols * BOX_W + (cols - 1) * GAP_X
    height = MARGIN * 2 + levels * BOX_H + (levels - 1) * GAP_Y
    image = Image.new("RGB", (int(width), int(height)), "white")
    draw = ImageDraw.Draw(image)
    name_font, small = _font(22, bold=True), _font(17)

    def box(pk):
        col, depth = pos[pk]
        x = MARGIN + col * (BOX_W + GAP_X)
        y = MARGIN + depth * (BOX_H + GAP_Y)
        return x, y

    by_pk = {c.pk: c for c in contacts}
    for c in contacts:  # reporting lines first, under the boxes
        if c.reports_to_id in by_pk and c.pk in pos and c.reports_to_id in pos:
            (x1, y1), (x2, y2) = box(c.reports_to_id), box(c.pk)
            if y2 > y1:
                mid = y1 + BOX_H + GAP_Y / 2
                draw.line(
                    [
                        (x1 + BOX_W / 2, y1 + BOX_H),
                        (x1 + BOX_W / 2, mid),
                        (x2 + BOX_W / 2, mid),
                        (x2 + BOX_W / 2, y2),
                    ],
                    fill="#888888",
                    width=2,
                )
    for c in contacts:
        x, y = box(c.pk)
        border = STRENGTH_BORDER.get(c.relationship_strength or "none", 1)
        draw.rounded_rectangle(
            [x, y, x + BOX_W, y + BOX_H],
            radius=10,
            fill=ATTITUDE_FILL.get(c.attitude or "neutral", "#eeeeee"),
            outline="#1f4e79",
            width=border,
        )
        inner = BOX_W - 20
        draw.text(
            (x + 10, y + 8), _fit(draw, c.name, name_font, inner), fill="black", font=name_font
        )
        draw.text(
            (x + 10, y + 38), _fit(draw, c.title or "", small, inner), fill="#333333", font=small
        )
        role = c.get_decision_role_display() if c.decision_role else words.EMPTY
        strength = (c.get_relationship_strength_display() or "none").lower()
        draw.text(
            (x + 10, y + 64),
            _fit(draw, f"{role} · {strength}", small, inner),
            fill="#1f4e79",
            font=small,
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), image.width, image.height


LEGEND = (
    "Green: supporter · grey: neutral · red: detractor. The thicker the border, the "
    "stronger our relationship. Lines: who reports to whom."
)
