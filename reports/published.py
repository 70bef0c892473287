"""What leaves Harbour: tables after disclosure control (DESIGN.md section 7).

``reports.disclosure.publish_section`` makes these from a measure's raw
``Section``. They are what a report run stores (as JSON, through ``to_dict``)
and the only thing the page, the PDF, the CSV and the API render, so the four
show the same numbers by construction.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

SUPPRESSION_MARK = "*"


@dataclass(frozen=True)
class PublishedCell:
    value: int | None  # rounded to the nearest 5 (or 0); None when suppressed
    # "" when shown; "small" for a count of 1 to the threshold; "secondary"
    # for a cell hidden so a small one cannot be worked out from the totals;
    # "withheld" for a part of a table whose parts could not be published
    # safely (only its totals are).
    suppressed: str = ""
    # Of the column's published total, from the rounded figures, to one
    # decimal place; None when not shown (suppressed cell or total, or a
    # table without percentages).
    percent: float | None = None

    @property
    def display(self) -> str:
        return SUPPRESSION_MARK if self.suppressed else f"{self.value:,}"


@dataclass(frozen=True)
class PublishedRow:
    label: str
    cells: tuple[PublishedCell, ...]
    is_total: bool = False
    in_total: bool = True


@dataclass(frozen=True)
class PublishedTable:
    key: str
    title: str
    row_heading: str
    columns: tuple[str, ...]  # with "Total" last when the table has row totals
    rows: tuple[PublishedRow, ...]  # with the "Total" row last when it has column totals
    note: str
    chart: str
    unit: str
    percentages: bool


@dataclass(frozen=True)
class PublishedEstimate:
    title: str
    count: int | None  # the published count it is made from; None when suppressed
    cost_per_young_person: int
    return_low: int
    return_high: int
    # Pounds: count x cost x return ratio; None when the count is suppressed.
    saving_low: int | None
    saving_high: int | None
    source: str
    assumptions: tuple[str, ...]


@dataclass(frozen=True)
class PublishedSection:
    key: str
    title: str
    summary: str
    tables: tuple[PublishedTable, ...]
    estimates: tuple[PublishedEstimate, ...] = ()


def to_dict(section: PublishedSection) -> dict[str, Any]:
    return asdict(section)


def from_dict(data: dict[str, Any]) -> PublishedSection:
    tables = tuple(
        PublishedTable(
            **{
                **table,
                "columns": tuple(table["columns"]),
                "rows": tuple(
                    PublishedRow(
                        **{**row, "cells": tuple(PublishedCell(**cell) for cell in row["cells"])}
                    )
                    for row in table["rows"]
                ),
            }
        )
        for table in data["tables"]
    )
    estimates = tuple(
        PublishedEstimate(**{**estimate, "assumptions": tuple(estimate["assumptions"])})
        for estimate in data.get("estimates", ())
    )
    return PublishedSection(
        key=data["key"],
        title=data["title"],
        summary=data["summary"],
        tables=tables,
        estimates=estimates,
    )
