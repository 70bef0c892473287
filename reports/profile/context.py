"""What every profile measure is given: a report context, and the day the
picture is drawn at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from cse_cases.working_days import LONDON
from reports.context import ReportContext

# The places and persons tables list this many, the busiest first.
TOP = 10


@dataclass(frozen=True)
class ProfileContext(ReportContext):
    # True when the profile is read beyond CSE leads and police: the figures
    # are then published through disclosure control (reports/disclosure.py).
    shared: bool = False

    @property
    def as_of(self) -> date:
        """The day persons, places and disruption are counted at: the end of
        the period, or today while the period is still running."""
        return min(self.period.end, self.today)

    @property
    def as_of_end(self) -> datetime:
        """The first instant after ``as_of`` (exclusive bound)."""
        return datetime.combine(self.as_of + timedelta(days=1), time.min, tzinfo=LONDON)

    def months(self) -> list[tuple[str, date, date, date, date]]:
        """Each month of the period, clipped to it, beside the same days a year
        before: (label, start, end exclusive, year-before start, end exclusive)."""
        out = []
        year = relativedelta(years=1)
        for first in self.period.months():
            start = max(first, self.period.start)
            end = min(first + relativedelta(months=1), self.period.end_exclusive)
            out.append((first.strftime("%B %Y"), start, end, start - year, end - year))
        return out

    @property
    def year_before_label(self) -> str:
        return "A year before"
