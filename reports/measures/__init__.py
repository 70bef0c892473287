"""The report catalogue: each module here gives one section of the report.

A section module defines ``section(ctx: ReportContext) -> Section``. The order
of ``SECTIONS`` is the order of the report (page, PDF, CSV, API).
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import TypeVar

from django.conf import settings

from cse_cases.nojit import without_jit
from reports.context import ReportContext
from reports.tables import Section

# A report's context or the problem profile's (a ReportContext too).
Context = TypeVar("Context", bound=ReportContext)

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


def compute_section(build: Callable[[Context], Section], ctx: Context) -> Section:
    """One section's figures, read in one transaction on the report's
    database with PostgreSQL's JIT compilation off for it alone (SET LOCAL
    ends with the transaction). The report's big aggregate statements cross
    the JIT cost threshold, and compiling them took longer than it saved:
    measured on the report benchmark's 100,000 young people, the sections
    took 14.5 to 20 s without JIT and 37 to 39 s with it. Its hashes get
    REPORTS_WORK_MEM (cse_cases/nojit.py says why)."""
    with without_jit(ctx.using, work_mem=settings.REPORTS_WORK_MEM):
        return build(ctx)
