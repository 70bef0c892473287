"""The report catalogue: each module here gives one section of the report.

A section module defines ``section(ctx: ReportContext) -> Section``. The order
of ``SECTIONS`` is the order of the report (page, PDF, CSV, API).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from reports.context import ReportContext
from reports.tables import Section

SECTION_MODULES = (
    "need",
    "timeliness",
    "missing",
    "outcomes",
    "workforce",
    "value",
    "completeness",
)


def sections() -> list[Callable[[ReportContext], Section]]:
    return [import_module(f"reports.measures.{name}").section for name in SECTION_MODULES]
