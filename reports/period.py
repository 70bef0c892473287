"""The period a report covers, and the one before it to compare with.

A period is whole calendar days in Europe/London, end inclusive. Its bounds as
aware datetimes (``start_at`` inclusive, ``end_at`` exclusive) are what the
measures filter timestamps on, so an event at 23:30 on the last day of March
(BST) falls in March, as a person in the partnership would count it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from cse_cases.working_days import LONDON


class PeriodKind:
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    DATES = "dates"
    CHOICES = (
        (MONTH, "Month"),
        (QUARTER, "Quarter"),
        (YEAR, "Year"),
        (DATES, "Dates"),
    )


# DESIGN.md section 7 and the issue: longer reports are refused.
MAX_PERIOD_YEARS = 5
# Harbour's records start in wave 1; earlier periods would only ever be empty
# (and a year 1 period has no previous one to compare with).
FIRST_YEAR = 2020


@dataclass(frozen=True)
class Period:
    kind: str
    start: date
    end: date  # inclusive

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = date(year, month, 1)
        return cls(PeriodKind.MONTH, start, start + relativedelta(months=1, days=-1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        start = date(year, 3 * (quarter - 1) + 1, 1)
        return cls(PeriodKind.QUARTER, start, start + relativedelta(months=3, days=-1))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(PeriodKind.YEAR, date(year, 1, 1), date(year, 12, 31))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time.min, tzinfo=LONDON)

    @property
    def end_at(self) -> datetime:
        """The first instant after the period (exclusive bound)."""
        return datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=LONDON)

    @property
    def end_exclusive(self) -> date:
        return self.end + timedelta(days=1)

    def previous(self) -> Period:
        """The period of the same kind immediately before; for dates, the same
        number of days immediately before."""
        if self.kind == PeriodKind.MONTH:
            start = self.start - relativedelta(months=1)
            return Period(self.kind, start, self.start - timedelta(days=1))
        if self.kind == PeriodKind.QUARTER:
            start = self.start - relativedelta(months=3)
            return Period(self.kind, start, self.start - timedelta(days=1))
        if self.kind == PeriodKind.YEAR:
            start = self.start - relativedelta(years=1)
            return Period(self.kind, start, self.start - timedelta(days=1))
        end = self.start - timedelta(days=1)
        return Period(self.kind, end - timedelta(days=self.days - 1), end)

    def months(self) -> list[date]:
        """The first day of each calendar month the period touches, in order."""
        first = self.start.replace(day=1)
        out = []
        while first <= self.end:
            out.append(first)
            first += relativedelta(months=1)
        return out

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return self.start.strftime("%B %Y")
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.strftime('%b')} to {self.end.strftime('%b %Y')}"
        if self.kind == PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"
