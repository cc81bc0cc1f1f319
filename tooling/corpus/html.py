"""Chromium's producer: the planned pages as one HTML document, printed to PDF headless.

Every planned page is a fixed-size box (``break-after: page``); the table is
a real HTML table (fixed layout, spacer columns between figure columns), so
gridlines, zebra shading and bold totals are CSS. Lines are broken where the
plan says (``<br>``, ``white-space: nowrap``), so the browser never wraps.
Fonts are loaded from their TTF files (``@font-face``), the files the plan
measured.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path

from extract.reports import page_footer, source_line, updated_line
from tooling.corpus.fonts import FACES, width
from tooling.corpus.plan import Chunk, Plan, PlannedPage, plan
from tooling.corpus.variant import Variant
from tooling.replica.prose import PROSE_TITLE

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def _css(p: Plan) -> str:
    g, s = p.geometry, p.geometry.style
    face = FACES[s.face]
    ligatures = "common-ligatures discretionary-ligatures" if s.ligatures else "none"
    grid = "0.5pt solid #444" if s.gridlines else "none"
    return f"""
@font-face {{ font-family: "Corpus"; src: url("{face.regular.as_uri()}"); font-weight: normal; }}
@font-face {{ font-family: "Corpus"; src: url("{face.bold.as_uri()}"); font-weight: bold; }}
@page {{ size: {g.page_width}pt {g.page_height}pt; margin: 0; }}
html, body {{ margin: 0; padding: 0; }}
body {{ font-family: "Corpus"; font-size: {s.size}pt; font-variant-ligatures: {ligatures}; color: #000; }}
.page {{ position: relative; width: {g.page_width}pt; height: {g.page_height - 1}pt; overflow: hidden;
  break-after: page; }}
.page:last-child {{ break-after: auto; }}
.at {{ position: absolute; white-space: nowrap; line-height: 1; }}
.title {{ font-size: {s.title_size}pt; font-weight: {"bold" if s.title_bold else "normal"}; }}
.titlebar {{ display: flex; justify-content: space-between; align-items: baseline; }}
table {{ position: absolute; left: {g.margin}pt; top: {g.body_top}pt; table-layout: fixed;
  border-collapse: collapse; }}
td, th {{ padding: 0; white-space: nowrap; overflow: visible; vertical-align: bottom; line-height: {g.leading}pt;
  font-weight: normal; }}
td.fig, th {{ text-align: right; }}
td.label {{ text-align: left; }}
tr.row td.label, tr.row td.fig, tr.head th {{ border: {grid}; }}
tr.zebra td {{ background: {"#e8e8e8" if s.zebra else "transparent"}; }}
tr.total td {{ font-weight: {"bold" if s.bold_totals else "normal"}; }}
"""


def _at(x: float, baseline: float, size: float, html: str, cls: str = "", sized: bool = False) -> str:
    """A line of text whose baseline stands near `baseline` (line-height 1: the box top is about a size above)."""
    top = baseline - size * 0.8
    font = f" font-size:{size}pt;" if sized else ""
    return f'<div class="at {cls}" style="left:{x}pt; top:{top:.2f}pt;{font}">{html}</div>'


def _furniture(p: Plan, title: str, number: int | None, count: int | None) -> str:
    g, s, spec = p.geometry, p.geometry.style, p.spec
    parts = [_at(g.margin, g.source_y, s.size, escape(source_line(spec.source_title)))]
    updated = escape(updated_line(spec.updated))
    title_y, date_y = g.title_lines
    if s.title == "beside":
        bar = f'<span class="title">{escape(title)}</span><span>{updated}</span>'
        top = title_y - s.title_size * 0.8
        parts.append(
            f'<div class="at titlebar" style="left:{g.margin}pt; top:{top:.2f}pt; '
            f'width:{g.page_width - 2 * g.margin}pt">{bar}</div>'
        )
    else:
        parts.append(_at(g.margin, title_y, s.title_size, escape(title), "title"))
        date_x = g.page_width - g.margin - width(updated, s.face, s.size) - 2
        parts.append(_at(date_x, date_y, s.size, updated))
    if number is not None:
        parts.append(_at(g.margin, g.period_y, s.size, escape(spec.period)))
        if s.footer:
            parts.append(_at(g.margin, g.footer_y, s.size, page_footer(number, count)))
    return "".join(parts)


def _prose(p: Plan) -> str:
    g, s = p.geometry, p.geometry.style
    lines = p.spec.prose
    room = g.page_width - 2 * g.margin
    size = min([s.size] + [s.size * room / width(line, s.face, s.size) for line in lines if line])
    size = int(size * 10) / 10  # the longest line fits unwrapped
    body = [_furniture(p, PROSE_TITLE, None, None)]
    y = g.body_top
    for line in lines:
        y += size * 1.5
        if line:
            body.append(_at(g.margin, y, size, escape(line), sized=True))
    return f'<section class="page">{"".join(body)}</section>'


def _colgroup(p: Plan) -> str:
    g = p.geometry
    cols = [f'<col style="width:{g.label_width}pt">']
    for gap, figure in zip(g.gaps, g.figure_widths, strict=True):
        cols.append(f'<col style="width:{gap:.2f}pt"><col style="width:{figure:.2f}pt">')
    return "<colgroup>" + "".join(cols) + "</colgroup>"


def _chunk(p: Plan, chunk: Chunk, first: bool) -> str:
    g = p.geometry
    html = [] if first else [f'<tr class="gap" style="height:{g.block_gap}pt"><td></td></tr>']
    heads = "".join(f"<td></td><th>{'<br>'.join(map(escape, lines))}</th>" for lines in g.headers)
    html.append(f'<tr class="head" style="height:{g.header_height}pt"><td></td>{heads}</tr>')
    for index, row in enumerate(chunk.rows):
        classes = ["row"] + (["total"] if row.total else []) + (["zebra"] if index % 2 else [])
        figures = "".join(f'<td></td><td class="fig">{escape(f)}</td>' for f in row.figures)
        label = "<br>".join(map(escape, row.lines))
        html.append(
            f'<tr class="{" ".join(classes)}" style="height:{g.row_height(len(row.lines))}pt">'
            f'<td class="label">{label}</td>{figures}</tr>'
        )
    return "".join(html)


def _table_page(p: Plan, page: PlannedPage) -> str:
    rows = "".join(_chunk(p, chunk, i == 0) for i, chunk in enumerate(page.chunks))
    furniture = _furniture(p, page.title, page.number, page.count)
    return f'<section class="page">{furniture}<table>{_colgroup(p)}{rows}</table></section>'


def html_document(p: Plan) -> str:
    pages = [_prose(p)] + [_table_page(p, page) for page in p.pages]
    return (
        '<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8">'
        f"<title>{escape(p.spec.source_title)}</title><style>{_css(p)}</style></head>"
        f"<body>{''.join(pages)}</body></html>"
    )


def print_to_pdf(html: Path, out: Path) -> None:
    """Headless Chromium prints `html` to `out` (a fresh profile each time)."""
    profile = tempfile.mkdtemp(prefix="corpus-chromium-")
    try:
        command = ["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}", html.as_uri()]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if done.returncode != 0 or not out.exists():
            raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def render_chromium(variant: Variant, out: Path) -> None:
    html = out.with_suffix(".html")
    html.write_text(html_document(plan(variant.spec, variant.style)), encoding="utf-8")
    print_to_pdf(html, out)
