"""The profile's sections, in the order of the page and the API. Each module
defines ``section(ctx: ProfileContext) -> Section`` (reports/tables.py), every
table one set-based statement (or two), whatever the size of the district."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from reports.profile.context import ProfileContext
from reports.tables import Section

SECTION_MODULES = ("scale", "victims", "persons", "places", "groups", "unknown")


def sections() -> list[Callable[[ProfileContext], Section]]:
    return [import_module(f"reports.profile.measures.{name}").section for name in SECTION_MODULES]
