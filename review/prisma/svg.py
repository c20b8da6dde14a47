"""The PRISMA 2020 flow diagram as SVG: the standard layout for a new review
of databases and registers (Page et al., BMJ 2021;372:n71, Fig 1), with the
template's boxes and wording, the counts of the project, each database and
register with its records, and each exclusion reason with its reports.

A small writer of our own (no drawing library): boxes are laid out on an A4
page in points (1 pt = 1/72 in), 9 pt text wrapped to the box widths by an
estimate of glyph widths that errs wide, so the diagram reads at A4.
Each box is an SVG group with an ``id`` (``identified``, ``removed``,
``screened``, ``excluded``, ``sought``, ``not-retrieved``, ``assessed``,
``reports-excluded``, ``included``) so that its text can be found again.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from review.prisma.counts import Flow

MM_PER_PT = 25.4 / 72
PAGE_W = 210 / MM_PER_PT            # A4 width (210 mm) in points
MARGIN = 28.0
BAR_W = 22.0                        # the blue phase bars
GAP = 8.0
MAIN_W = 250.0
ARROW_GAP = 30.0
SIDE_X = MARGIN + BAR_W + GAP + MAIN_W + ARROW_GAP
SIDE_W = PAGE_W - MARGIN - SIDE_X
MAIN_X = MARGIN + BAR_W + GAP
FONT = 9.0
LINE = FONT * 1.3
PAD = 6.0
INDENT = 10.0
ROW_GAP = 22.0
FAMILY = "Helvetica, Arial, Liberation Sans, Noto Sans CJK SC, sans-serif"
HEADER_FILL = "#FFD966"
BAR_FILL = "#9DC3E6"


@dataclass(frozen=True)
class Line:
    text: str
    bold: bool = False
    indent: int = 0                  # 0 or 1 (an item of a list)


def n(x: int) -> str:
    return f"(n = {x:,})"


def _char_width(ch: str) -> float:
    """Estimated advance of one glyph, in units of the font size (wide rather than narrow)."""
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in "il.,;:'|!()[] ":
        return 0.32
    if ch in "mwMW@%":
        return 0.9
    if ch.isupper() or ch.isdigit():
        return 0.68
    return 0.56


def text_width(s: str, size: float = FONT, bold: bool = False) -> float:
    return sum(_char_width(c) for c in s) * size * (1.06 if bold else 1.0)


_TOKENS = re.compile(r"\(n = [^)]*\)|\S+")


def wrap(text: str, width: float, bold: bool = False) -> list[str]:
    """Lines of ``text`` no wider than ``width`` points; ``(n = X)`` is never broken,
    words wider than a line (e.g. Chinese text without spaces) are cut."""
    lines: list[str] = []
    cur = ""
    for tok in _TOKENS.findall(text):
        trial = f"{cur} {tok}" if cur else tok
        if text_width(trial, bold=bold) <= width:
            cur = trial
            continue
        if cur:
            lines.append(cur)
        cur = ""
        while text_width(tok, bold=bold) > width:
            k = 1
            while k < len(tok) and text_width(tok[:k + 1], bold=bold) <= width:
                k += 1
            lines.append(tok[:k])
            tok = tok[k:]
        cur = tok
    if cur:
        lines.append(cur)
    return lines or [""]


@dataclass
class Box:
    key: str
    x: float
    width: float
    lines: list[Line]
    fill: str = "#FFFFFF"
    centre: bool = False

    def laid_out(self) -> list[tuple[str, bool, float]]:
        """(text, bold, x offset) per printed line."""
        out = []
        for ln in self.lines:
            off = INDENT * ln.indent
            parts = wrap(ln.text, self.width - 2 * PAD - off, ln.bold)
            if len(parts) > 1 and not self.centre:     # a hanging indent under a wrapped line
                parts = wrap(ln.text, self.width - 2 * PAD - off - INDENT, ln.bold)
            for k, part in enumerate(parts):
                out.append((part, ln.bold, off + (INDENT if k and not self.centre else 0)))
        return out

    @property
    def height(self) -> float:
        return 2 * PAD + LINE * len(self.laid_out())


def _counts_list(counts: dict[str, int]) -> list[Line]:
    return [Line(f"{name} {n(k)}", indent=1) for name, k in counts.items()]


def boxes(flow: Flow) -> list[tuple[str, Box, Box | None]]:
    """The diagram's rows: (phase, main box, side box or None), top to bottom,
    with the wording of the PRISMA 2020 template."""
    identified = [Line("Records identified from*:", bold=True),
                  Line(f"Databases {n(sum(flow.database_results.values()))}"),
                  *_counts_list(flow.database_results),
                  Line(f"Registers {n(sum(flow.register_results.values()))}"),
                  *_counts_list(flow.register_results)]
    removed = [Line("Records removed before screening:", bold=True),
               Line(f"Duplicate records removed {n(flow.duplicates)}", indent=1),
               Line(f"Records marked as ineligible by automation tools {n(flow.excluded_automatic)}", indent=1),
               Line(f"Records removed for other reasons {n(flow.excluded_other)}", indent=1)]
    if flow.dbr_excluded:
        reasons = [Line("Reports excluded:", bold=True), *_counts_list(flow.dbr_excluded)]
    else:
        reasons = [Line(f"Reports excluded {n(0)}")]
    main = lambda key, lines: Box(key, MAIN_X, MAIN_W, lines)   # noqa: E731
    side = lambda key, lines: Box(key, SIDE_X, SIDE_W, lines)   # noqa: E731
    return [
        ("Identification", main("identified", identified), side("removed", removed)),
        ("Screening", main("screened", [Line(f"Records screened {n(flow.records_screened)}")]),
         side("excluded", [Line(f"Records excluded** {n(flow.records_excluded)}")])),
        ("Screening", main("sought", [Line(f"Reports sought for retrieval {n(flow.dbr_sought_reports)}")]),
         side("not-retrieved", [Line(f"Reports not retrieved {n(flow.dbr_notretrieved_reports)}")])),
        ("Screening", main("assessed", [Line(f"Reports assessed for eligibility {n(flow.dbr_assessed)}")]),
         side("reports-excluded", reasons)),
        ("Included", main("included", [Line(f"Studies included in review {n(flow.new_studies)}"),
                                        Line(f"Reports of included studies {n(flow.new_reports)}")]), None),
    ]


def footnotes(flow: Flow, made_by: str) -> list[tuple[str, str]]:
    """(text, colour) lines under the diagram."""
    out = [("* Records identified are listed per database and register searched.", "#000000"),
           ("** Excluded by people at title and abstract screening; records marked as ineligible by "
            f"automation tools {n(flow.excluded_automatic)} are counted in \u201cRecords removed before "
            "screening\u201d.", "#000000")]
    p = flow.pending
    if flow.pending_units:
        where = [f"{p[k]['units']:,} at {label}" for k, label in
                 (("title_abstract", "title and abstract"), ("full_text", "full text")) if p[k]["units"]]
        out.append((f"Not final: records still undecided or in conflict: {' and '.join(where)};"
                    " the counts will change.", "#C00000"))
    out.append((made_by, "#555555"))
    return out


class _Svg:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, s: str) -> None:
        self.parts.append(s)

    def rect(self, x: float, y: float, w: float, h: float, fill: str, stroke: str = "#000000") -> None:
        self.add(f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" fill="{fill}" '
                 f'stroke="{stroke}" stroke-width="0.8"/>')

    def text(self, x: float, y: float, s: str, *, bold: bool = False, size: float = FONT,
             anchor: str = "start", colour: str = "#000000", transform: str = "") -> None:
        attrs = f' font-weight="bold"' if bold else ""
        attrs += f' text-anchor="{anchor}"' if anchor != "start" else ""
        attrs += f' fill="{colour}"' if colour != "#000000" else ""
        attrs += f' transform="{transform}"' if transform else ""
        self.add(f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:g}"{attrs}>{escape(s)}</text>')

    def arrow(self, x1: float, y1: float, x2: float, y2: float) -> None:
        self.add(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#000000" '
                 'stroke-width="1" marker-end="url(#arrow)"/>')


def _draw_box(svg: _Svg, box: Box, y: float, h: float) -> None:
    svg.add(f'<g id={quoteattr(box.key)}>')
    svg.rect(box.x, y, box.width, h, box.fill)
    lines = box.laid_out()
    top = y + (h - LINE * len(lines)) / 2 + FONT          # text block centred in the box
    for i, (text, bold, off) in enumerate(lines):
        if box.centre:
            svg.text(box.x + box.width / 2, top + i * LINE, text, bold=bold, anchor="middle")
        else:
            svg.text(box.x + PAD + off, top + i * LINE, text, bold=bold)
    svg.add("</g>")


def render(flow: Flow, *, title: str = "", made_by: str = "") -> str:
    """The flow diagram as an SVG document (text)."""
    svg = _Svg()
    y = MARGIN
    header = Box("header", MAIN_X, SIDE_X + SIDE_W - MAIN_X,
                 [Line("Identification of studies via databases and registers", bold=True)],
                 fill=HEADER_FILL, centre=True)
    _draw_box(svg, header, y, header.height + 4)
    y += header.height + 4 + ROW_GAP * 0.6
    phases: dict[str, list[float]] = {}
    rows = boxes(flow)
    previous_bottom = None
    for k, (phase, main, side) in enumerate(rows):
        h = max(main.height, side.height if side else 0)
        alone = all(p != phase for j, (p, _, _) in enumerate(rows) if j != k)
        if alone:                       # the phase bar must hold its label
            h = max(h, text_width(phase, bold=True) + 2 * PAD)
        mh = h if alone and side is None else main.height
        main_top = y + (h - mh) / 2
        if previous_bottom is not None:
            svg.arrow(MAIN_X + MAIN_W / 2, previous_bottom, MAIN_X + MAIN_W / 2, main_top - 1.5)
        _draw_box(svg, main, main_top, mh)
        if side is not None:
            sh = side.height
            _draw_box(svg, side, y + (h - sh) / 2, sh)
            svg.arrow(MAIN_X + MAIN_W, y + h / 2, SIDE_X - 1.5, y + h / 2)
        span = phases.setdefault(phase, [y, y + h])
        span[1] = y + h
        previous_bottom = main_top + mh
        y += h + ROW_GAP
    for phase, (top, bottom) in phases.items():
        svg.add(f'<g id={quoteattr("phase-" + phase.lower())}>')
        svg.rect(MARGIN, top, BAR_W, bottom - top, BAR_FILL, stroke=BAR_FILL)
        cx, cy = MARGIN + BAR_W / 2, (top + bottom) / 2
        svg.text(cx, cy + FONT / 3, phase, bold=True, anchor="middle", transform=f"rotate(-90 {cx:.1f} {cy:.1f})")
        svg.add("</g>")
    y += 2
    svg.add('<g id="notes">')
    for text, colour in footnotes(flow, made_by):
        for part in wrap(text, PAGE_W - 2 * MARGIN, False):
            svg.text(MARGIN, y + 7.5, part, size=7.5, colour=colour)
            y += 7.5 * 1.3
    svg.add("</g>")
    height = y + MARGIN
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{PAGE_W * MM_PER_PT:.1f}mm" '
            f'height="{height * MM_PER_PT:.1f}mm" viewBox="0 0 {PAGE_W:.2f} {height:.1f}" '
            f'font-family="{FAMILY}">')
    defs = ('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#000000"/></marker></defs>')
    body = [f"<title>{escape('PRISMA 2020 flow diagram' + (': ' + title if title else ''))}</title>",
            defs, f'<rect x="0" y="0" width="{PAGE_W:.2f}" height="{height:.1f}" fill="#FFFFFF"/>', *svg.parts]
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + head + "\n" + "\n".join(body) + "\n</svg>\n"
