"""The charts: the page's SVG carries every figure; the PDF's carries the
bars, the labels, the suppression marks and the noughts, and leaves the other
figures to the table under it (WeasyPrint lays out SVG text letter by letter)."""

from __future__ import annotations

import gc
import re

from django.template.loader import render_to_string

from cse_cases.pdf import render_pdf
from reports.charts import bar_chart, pdf_bar_chart
from reports.published import PublishedCell, PublishedRow, PublishedTable


def table(rows: list[PublishedRow]) -> PublishedTable:
    return PublishedTable(
        key="need.agency",
        title="Referrals by referring agency",
        row_heading="Referring agency",
        columns=("Jul to Sep 2026", "Apr to Jun 2026", "Total"),
        rows=tuple(rows),
        note="",
        chart="bar",
        unit="referrals",
        percentages=False,
    )


ROWS = [
    PublishedRow("Police", (PublishedCell(1235), PublishedCell(410), PublishedCell(1645))),
    PublishedRow("Health", (PublishedCell(None, "small"), PublishedCell(0), PublishedCell(5))),
    PublishedRow(
        "of which: a <b>marked</b> row",
        (PublishedCell(None, "secondary"), PublishedCell(20), PublishedCell(25)),
        in_total=False,
    ),
    PublishedRow(
        "Total", (PublishedCell(1240), PublishedCell(430), PublishedCell(1670)), is_total=True
    ),
]


def texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def test_the_page_chart_labels_every_bar_with_its_figure():
    svg = bar_chart(table(ROWS))
    shown = texts(svg)
    assert {"1,235", "410", "*", "0", "20"} <= set(shown)
    assert "Jul to Sep 2026" in shown  # the key, inside the SVG
    # A bar for each cell shown, the nought's of no width (not the total
    # row, not a suppressed cell), and the two keys' squares.
    assert svg.count("<rect") == 4 + 2


def test_the_pdf_chart_keeps_bars_labels_and_marks_but_not_the_figures():
    html = pdf_bar_chart(table(ROWS))
    svg = html[: html.index("</svg>")]
    shown = texts(svg)
    assert shown[:3] == ["Police", "Health", "of which: a &lt;b&gt;marked&lt;/b&gt; row"]
    # The marks for the two suppressed cells and the nought; no other figure.
    assert sorted(shown[3:]) == ["*", "*", "0"]
    assert "1,235" not in html
    assert "Total" not in shown
    # Police twice, the nought (no width) and the 20; the key squares are not in it.
    assert svg.count("<rect") == 4
    # The key is HTML under the chart, with both periods compared.
    key = html[html.index("</svg>") :]
    assert "Jul to Sep 2026" in key
    assert "Apr to Jun 2026" in key
    assert "<b>" not in key


def test_a_row_label_is_printed_as_recorded_without_a_second_of_which():
    rendered = render_to_string(
        "reports/_table.html", {"table": table(ROWS), "csv_links": False, "pdf": True}
    )
    assert "of which: of which" not in rendered
    assert "of which: Police" not in rendered


def test_making_a_pdf_leaves_the_garbage_collector_as_it_found_it():
    assert gc.isenabled()
    assert render_pdf("<p>Hello</p>").startswith(b"%PDF")
    assert gc.isenabled()
    gc.disable()
    try:
        render_pdf("<p>Hello</p>")
        assert not gc.isenabled()
    finally:
        gc.enable()
