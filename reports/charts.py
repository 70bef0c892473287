"""Charts as SVG, made from published tables, for the page and the PDF alike.

Hand-made rather than a charting library: the charts are plain bars and a
trend line, and the page's strict Content-Security-Policy forbids the inline
``style`` and ``<script>`` that pygal's SVG carries. These use presentation
attributes and classes only, so the same markup works inline in the page
(styled by harbour.css) and in WeasyPrint (fills given as attributes).
A suppressed figure draws no bar and is labelled with the suppression mark;
every chart has a title and the table beside it is its text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from reports.published import SUPPRESSION_MARK, PublishedCell, PublishedTable

# GOV.UK palette: dark blue for this period, mid grey for the previous one.
FILLS = ("#1d70b8", "#b1b4b6")
WIDTH = 640
BAR = 14
GAP = 10
LABEL_WIDTH = 220


def _rows(table: PublishedTable):
    return [row for row in table.rows if not row.is_total]


def chart(table: PublishedTable, *, pdf: bool = False) -> SafeString:
    if table.chart == "none" or not _rows(table):
        return mark_safe("")
    if table.chart == "line":
        return line_chart(table)
    return pdf_bar_chart(table) if pdf else bar_chart(table)


def _columns(table: PublishedTable) -> list[int]:
    # The periods compared (the first two columns), never a "Total" column.
    count = len(table.columns) - (1 if table.columns and table.columns[-1] == "Total" else 0)
    return list(range(min(count, 2)))


@dataclass(frozen=True)
class Bar:
    """Where one period's figure for a row goes, in the chart's own units."""

    column: int
    y: int
    length: float
    cell: PublishedCell


@dataclass(frozen=True)
class BarGeometry:
    height: int
    # Each row: its label, the baseline of the label, and one Bar per period.
    rows: list[tuple[str, int, list[Bar]]]
    # Each period compared: its colour, the legend's x and the period's name.
    legend: list[tuple[str, int, str]]


def bar_geometry(table: PublishedTable) -> BarGeometry:
    rows = _rows(table)
    columns = _columns(table)
    values = [cell.value or 0 for row in rows for cell in (row.cells[i] for i in columns)]
    top = max([*values, 1])
    plot = WIDTH - LABEL_WIDTH - 60
    group = BAR * len(columns) + GAP
    placed = []
    for r, row in enumerate(rows):
        y0 = 10 + r * group
        bars = [
            Bar(
                column=c,
                y=y0 + c * BAR,
                length=0
                if row.cells[c].suppressed
                else round(plot * (row.cells[c].value or 0) / top, 1),
                cell=row.cells[c],
            )
            for c in columns
        ]
        placed.append((row.label, y0 + BAR, bars))
    return BarGeometry(
        height=group * len(rows) + 40,
        rows=placed,
        legend=[(FILLS[i], LABEL_WIDTH + i * 200, table.columns[i]) for i in columns],
    )


def _figure(cell: PublishedCell) -> str:
    return SUPPRESSION_MARK if cell.suppressed else f"{cell.value or 0:,}"


def _bars(geometry: BarGeometry) -> SafeString:
    """A bar per figure shown (none for a suppressed one)."""
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
        (
            (LABEL_WIDTH, bar.y, bar.length, BAR - 2, FILLS[bar.column])
            for _label, _baseline, row in geometry.rows
            for bar in row
            if not bar.cell.suppressed
        ),
    )


def _keys(geometry: BarGeometry) -> SafeString:
    return format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>',
        ((x, geometry.height - 18, fill) for fill, x, _name in geometry.legend),
    )


def bar_chart(table: PublishedTable) -> SafeString:
    geometry = bar_geometry(table)
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" class="report-chart__label" '
        'font-size="11" fill="#0b0c0c">{}</text>',
        ((LABEL_WIDTH - 8, baseline, label[:40]) for label, baseline, _row in geometry.rows),
    )
    figures = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" fill="{}">{}</text>',
        (
            (
                LABEL_WIDTH + bar.length + 4,
                bar.y + BAR - 3,
                "#505a5f" if bar.cell.suppressed else "#0b0c0c",
                _figure(bar.cell),
            )
            for _label, _baseline, row in geometry.rows
            for bar in row
        ),
    )
    names = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" fill="#0b0c0c">{}</text>',
        ((x + 14, geometry.height - 9, name) for _fill, x, name in geometry.legend),
    )
    return _svg(
        table, geometry.height, _bars(geometry) + _keys(geometry) + labels + figures + names
    )


def pdf_bar_chart(table: PublishedTable) -> SafeString:
    """The bar chart for the PDF: the same bars and labels, without a figure
    at each bar's end (the table below the chart gives every figure) and with
    the key as a line of HTML under it. WeasyPrint lays out SVG text one
    letter at a time: the figures and keys were most of the report PDF's
    time.
    Never served to a browser, so the key's inline colours meet no
    Content-Security-Policy."""
    geometry = bar_geometry(table)
    labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#0b0c0c">{}</text>',
        ((LABEL_WIDTH - 8, baseline, label[:40]) for label, baseline, _row in geometry.rows),
    )
    # A suppressed figure shows its mark and a nought shows 0, so no row
    # without a bar goes unexplained.
    marks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" fill="#505a5f">{}</text>',
        (
            (LABEL_WIDTH + 4, bar.y + BAR - 3, _figure(bar.cell))
            for _label, _baseline, row in geometry.rows
            for bar in row
            if bar.cell.suppressed or not bar.cell.value
        ),
    )
    key = format_html_join(
        " ",
        '<span class="pdf-chart__key" style="background-color: {}"></span>&nbsp;{}',
        ((fill, name) for fill, _x, name in geometry.legend),
    )
    # The key's line replaces the SVG's own (its last 30 units).
    return format_html(
        '{}<p class="pdf-chart__keys">{}</p>',
        _svg(table, geometry.height - 30, _bars(geometry) + labels + marks),
        key,
    )


def line_chart(table: PublishedTable) -> SafeString:
    """A trend by month: one line per column, gaps where a month is suppressed."""
    rows = _rows(table)
    series = list(range(len(table.columns)))[:2]
    values = [
        row.cells[i].value or 0 for row in rows for i in series if not row.cells[i].suppressed
    ]
    top = max([*values, 1])
    height = 220
    left, right, plot_h = 50, WIDTH - 20, 150
    step = (right - left) / max(len(rows) - 1, 1)
    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#b1b4b6"/>', left, 170, right, 170
        ),
        format_html(
            '<text x="{}" y="{}" font-size="11" fill="#505a5f">{}</text>', 4, 24, f"{top:,}"
        ),
    ]
    for i in series:
        points = []
        for r, row in enumerate(rows):
            cell = row.cells[i]
            x = round(left + r * step, 1)
            if cell.suppressed:
                parts.append(
                    format_html(
                        '<text x="{}" y="{}" font-size="11" fill="#505a5f">{}</text>',
                        x,
                        185 + 12 * i,
                        SUPPRESSION_MARK,
                    )
                )
                if len(points) > 1:
                    parts.append(_polyline(points, FILLS[i]))
                points = []
                continue
            y = round(170 - plot_h * (cell.value or 0) / top, 1)
            points.append((x, y))
            parts.append(format_html('<circle cx="{}" cy="{}" r="3" fill="{}"/>', x, y, FILLS[i]))
        if len(points) > 1:
            parts.append(_polyline(points, FILLS[i]))
    for r, row in enumerate(rows):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="#0b0c0c">{}</text>',
                round(left + r * step, 1),
                210,
                row.label[:12],
            )
        )
    return _svg(table, height, mark_safe("".join(parts)))  # noqa: S308 - parts are escaped


def _polyline(points: list[tuple[float, float]], colour: str) -> SafeString:
    return format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>',
        " ".join(f"{x},{y}" for x, y in points),
        colour,
    )


def _svg(table: PublishedTable, height: int, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'width="{}" height="{}" role="img" aria-labelledby="chart-{}"><title id="chart-{}">'
        "{}: chart (the table below gives the figures)</title>{}</svg>",
        WIDTH,
        height,
        WIDTH,
        height,
        table.key,
        table.key,
        table.title,
        body,
    )
