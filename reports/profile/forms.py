"""Asking for a profile: which district, which period (a GET form, so a
profile's address can be kept and shared with a colleague who may read it)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from cse_cases.access import ProfileAudience
from cse_cases.forms import GovukFormMixin
from reports.disclosure import threshold
from reports.forms import MONTHS, QUARTERS
from reports.period import FIRST_YEAR, Period, PeriodKind

PERIOD_KINDS = [
    (PeriodKind.MONTH, "Month"),
    (PeriodKind.QUARTER, "Quarter"),
    (PeriodKind.YEAR, "Year"),
]


def audience_choices() -> list[tuple[str, str]]:
    """The audiences, saying the threshold that is in force."""
    return [
        (ProfileAudience.INTERNAL, ProfileAudience.INTERNAL.label),
        (
            ProfileAudience.BOARD,
            "The partnership board, or anyone beyond CSE leads and police: counts of 1 to "
            f"{threshold()} hidden, the rest rounded to the nearest 5",
        ),
    ]


class ProfileForm(GovukFormMixin, forms.Form):
    district = forms.ChoiceField(
        label="District", error_messages={"required": "Choose the district"}
    )
    period = forms.ChoiceField(
        label="Period",
        choices=PERIOD_KINDS,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a month, a quarter or a year"},
    )
    year = forms.TypedChoiceField(label="Year", coerce=int, required=False)
    month = forms.TypedChoiceField(label="Month", choices=MONTHS, coerce=int, required=False)
    quarter = forms.TypedChoiceField(label="Quarter", choices=QUARTERS, coerce=int, required=False)
    # Not given (an address kept from before, the API without it): internal.
    audience = forms.ChoiceField(
        label="Who it is for",
        choices=ProfileAudience.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text="Beyond CSE leads and police, small counts could point to a child: the "
        "profile then hides and rounds them as commissioners' reports do.",
        error_messages={"invalid_choice": "Choose who the profile is for"},
    )

    def __init__(
        self, *args: Any, districts: list[tuple[str, str]], today: date, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["district"].choices = districts
        self.fields["audience"].choices = audience_choices()
        self.fields["year"].choices = [
            (str(y), str(y)) for y in range(today.year, FIRST_YEAR - 1, -1)
        ]
        self.period_value: Period | None = None

    @classmethod
    def initial_for(cls, districts: list[tuple[str, str]], today: date) -> dict[str, Any]:
        """This quarter so far, for the reader's first district."""
        return {
            "district": districts[0][0] if districts else "",
            "period": PeriodKind.QUARTER,
            "year": today.year,
            "quarter": (today.month - 1) // 3 + 1,
            "audience": ProfileAudience.INTERNAL,
        }

    def clean_audience(self) -> str:
        # Asked for more than once (a hand-edited address): every value must
        # be a known audience, and any that is not internal makes the copy
        # the board's, so a mistake errs towards hiding small counts.
        values = self.data.getlist("audience") if hasattr(self.data, "getlist") else []
        if len(values) > 1:
            if any(value not in ProfileAudience.values for value in values):
                raise forms.ValidationError("Choose who the profile is for")
            if any(value != ProfileAudience.INTERNAL for value in values):
                return ProfileAudience.BOARD
        return self.cleaned_data.get("audience") or ProfileAudience.INTERNAL

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, year = data.get("period"), data.get("year")
        if not kind:
            return data
        if not year:
            self.add_error("year", "Choose a year")
            return data
        if kind == PeriodKind.MONTH:
            if not data.get("month"):
                self.add_error("month", "Choose a month")
                return data
            period = Period.month(year, data["month"])
        elif kind == PeriodKind.QUARTER:
            if not data.get("quarter"):
                self.add_error("quarter", "Choose a quarter")
                return data
            period = Period.quarter(year, data["quarter"])
        else:
            period = Period.year(year)
        # The profile is always current: a period still running is drawn as
        # it stands today; one that has not begun has nothing to show.
        if period.start > self.today:
            self.add_error(
                "period",
                f"{period.label} has not started yet: choose a period that has begun "
                f"(today is {self.today:%-d %B %Y}).",
            )
            return data
        self.period_value = period
        return data
