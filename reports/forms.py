"""Asking for a report: which areas, which period."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from cse_cases.date_input import GovukDateField
from cse_cases.forms import GovukFormMixin
from reports.period import FIRST_YEAR, Period, PeriodKind
from reports.services import ReportRequestError, check_period

MONTHS = [(str(n), date(2000, n, 1).strftime("%B")) for n in range(1, 13)]
QUARTERS = [
    ("1", "January to March"),
    ("2", "April to June"),
    ("3", "July to September"),
    ("4", "October to December"),
]


def last_complete_quarter(today: date) -> tuple[int, int]:
    quarter = (today.month - 1) // 3  # the current quarter's index, 0-based
    if quarter == 0:
        return today.year - 1, 4
    return today.year, quarter


class ReportRequestForm(GovukFormMixin, forms.Form):
    areas = forms.MultipleChoiceField(
        label="Areas",
        help_text="The areas you commission services for. Choose one or more.",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one area"},
    )
    period = forms.ChoiceField(
        label="Period",
        choices=PeriodKind.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a month, a quarter, a year or dates"},
    )
    year = forms.TypedChoiceField(label="Year", coerce=int, required=False)
    month = forms.TypedChoiceField(label="Month", choices=MONTHS, coerce=int, required=False)
    quarter = forms.TypedChoiceField(label="Quarter", choices=QUARTERS, coerce=int, required=False)
    start = GovukDateField(label="From", required=False)
    end = GovukDateField(label="To", required=False)

    def __init__(
        self,
        *args: Any,
        areas: list[tuple[int, str]] | None = None,
        today: date | None = None,
        **kwargs: Any,
    ) -> None:
        today = today or timezone.localdate()
        self.today = today
        year, quarter = last_complete_quarter(today)
        kwargs.setdefault(
            "initial", {"period": PeriodKind.QUARTER, "year": year, "quarter": quarter}
        )
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = [(str(pk), name) for pk, name in areas or ()]
        self.fields["year"].choices = [
            (str(y), str(y)) for y in range(today.year, FIRST_YEAR - 1, -1)
        ]
        self.period_value: Period | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("period")
        if not kind:
            return data
        year, month, quarter = data.get("year"), data.get("month"), data.get("quarter")
        if kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR) and not year:
            self.add_error("year", "Choose a year")
            return data
        if kind == PeriodKind.MONTH:
            if not month:
                self.add_error("month", "Choose a month")
                return data
            period = Period.month(year, month)
        elif kind == PeriodKind.QUARTER:
            if not quarter:
                self.add_error("quarter", "Choose a quarter")
                return data
            period = Period.quarter(year, quarter)
        elif kind == PeriodKind.YEAR:
            period = Period.year(year)
        else:
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", "Enter the date the period starts")
            if not end:
                self.add_error("end", "Enter the date the period ends")
            if not (start and end):
                return data
            period = Period(PeriodKind.DATES, start, end)
        try:
            check_period(period, today=self.today)
        except ReportRequestError as error:
            field = error.field if kind == PeriodKind.DATES else "period"
            self.add_error(field if field in self.fields else None, str(error))
            return data
        self.period_value = period
        return data
