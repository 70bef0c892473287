"""Record-page panels: what a feature shows on a young person's record.

The record page knows no feature. A feature with something to show about the
open case registers a panel from its AppConfig.ready(), as the chronology's
sources do:

    panels.register(Panel("assessments", "assessments/_case_assessments.html", case_panel))

The page asks each panel for its context (reader, young person, open case),
in order, before it renders, so the page's query count stays fixed; then it
renders each panel's template in the case column, under the team around the
child, with the page's own context (young_person, case, today ...) beneath the
panel's. A panel's context function reads through the access policy like any
selector, and audits what it reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cse_cases.models import Case, User, YoungPerson


@dataclass(frozen=True)
class Panel:
    key: str
    template: str
    # (the reader, the young person, their open case) -> what the template needs
    context: Callable[[User, YoungPerson, Case], dict[str, Any]]
    # Lower first; a tie goes by key, so the page never depends on app order.
    order: int = 100


@dataclass(frozen=True)
class Shown:
    """A panel or home-page widget ready to render: its template and context
    (rendered by the `render_panel` tag, cse_cases/templatetags/panels.py)."""

    key: str
    template: str
    context: dict[str, Any]


_panels: dict[str, Panel] = {}


def register(panel: Panel) -> Panel:
    """A feature adds its panel here, from its AppConfig.ready()."""
    _panels[panel.key] = panel
    return panel


def panels() -> list[Panel]:
    return sorted(_panels.values(), key=lambda panel: (panel.order, panel.key))


def for_record(user: User, young_person: YoungPerson, case: Case) -> list[Shown]:
    """Every panel for the record page of a young person with an open case."""
    return [
        Shown(panel.key, panel.template, panel.context(user, young_person, case))
        for panel in panels()
    ]
