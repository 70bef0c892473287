"""CSV exports that are safe to open in a spreadsheet.

A cell starting with =, +, -, @, a tab or a carriage return is read as a
formula by Excel and LibreOffice (CSV injection: text typed into a record
could run a command on the reader's computer). Such cells are prefixed with
an apostrophe, the OWASP-recommended neutraliser; the text is otherwise kept
exactly. Rows are streamed, so a long export never sits in memory whole.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    # NUL cannot be typed into Harbour, but an export must never carry one.
    text = text.replace("\x00", "")
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    """The file-like object csv.writer needs, handing each line straight back."""

    def write(self, value: str) -> str:
        return value


def csv_rows(header: list[str], rows: Iterable[Iterable[object]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte-order mark, so Excel reads the file as UTF-8
    yield writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        yield writer.writerow([safe_cell(cell) for cell in row])


def csv_response(
    filename: str, header: list[str], rows: Iterable[Iterable[object]]
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_rows(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
