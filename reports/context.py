"""What every measure is given: the areas, the period, and the database to read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reports.period import Period


@dataclass(frozen=True)
class ReportContext:
    area_ids: tuple[int, ...]
    period: Period
    # The database alias the measures read from: settings.REPORTS_DATABASE
    # (the replica when one is named, else "default"). Measures must use
    # ``Model.objects.using(ctx.using)`` (or a cursor on that connection).
    using: str
    # The day the report is computed: a measure that needs "open at least
    # six months" or "never held" as of now uses it, never date.today().
    today: date

    @property
    def previous(self) -> Period:
        return self.period.previous()

    @property
    def columns(self) -> tuple[str, str]:
        return (self.period.label, self.previous.label)
