"""The decision clock: one working day, by the bank holidays of the area's nation."""

from __future__ import annotations

from datetime import datetime

import pytest

from cse_cases.working_days import LONDON, add_working_days, is_working_day


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("received", "nation", "due"),
    [
        # An ordinary weekday: the same time the next day.
        ("2026-11-18 10:30", "ENG", "2026-11-19 10:30"),
        # Friday afternoon: Monday afternoon, the weekend does not count.
        ("2026-11-20 15:00", "ENG", "2026-11-23 15:00"),
        # Saturday: the clock starts on Monday and runs out at its end.
        ("2026-11-21 11:00", "ENG", "2026-11-24 00:00"),
        # St Andrew's Day (Monday 30 November) is a bank holiday in Scotland only.
        ("2026-11-27 15:00", "SCT", "2026-12-01 15:00"),
        ("2026-11-27 15:00", "ENG", "2026-11-30 15:00"),
        # Christmas Eve 2026: Christmas Day (Friday), the weekend and Boxing Day
        # observed on Monday 28th do not count.
        ("2026-12-24 15:00", "ENG", "2026-12-29 15:00"),
        ("2026-12-24 15:00", "WLS", "2026-12-29 15:00"),
        # New Year's Eve 2025: 1 January everywhere; 2 January only in Scotland.
        ("2025-12-31 15:00", "ENG", "2026-01-02 15:00"),
        ("2025-12-31 15:00", "NIR", "2026-01-02 15:00"),
        ("2025-12-31 15:00", "SCT", "2026-01-05 15:00"),
        # St Patrick's Day (17 March) in Northern Ireland only.
        ("2026-03-16 09:00", "NIR", "2026-03-18 09:00"),
        ("2026-03-16 09:00", "ENG", "2026-03-17 09:00"),
        # The Battle of the Boyne, observed on Monday 13 July 2026 in Northern Ireland.
        ("2026-07-10 12:00", "NIR", "2026-07-14 12:00"),
        # The clocks go back on Sunday 25 October: still Monday at 15:00 local time.
        ("2026-10-23 15:00", "ENG", "2026-10-26 15:00"),
        # Received on Boxing Day (a Saturday): starts Tuesday 29th, due at its end.
        ("2026-12-26 09:00", "ENG", "2026-12-30 00:00"),
    ],
)
def test_decision_clock_skips_weekends_and_the_nations_bank_holidays(
    received: str, nation: str, due: str
) -> None:
    assert add_working_days(at(received), 1, nation) == at(due)


def test_a_clock_started_at_midnight_ends_at_the_end_of_that_working_day() -> None:
    # Monday 00:00 plus one working day is the end of Monday, even if Tuesday
    # were a holiday: the day counted is Monday's.
    assert add_working_days(at("2026-11-23 00:00"), 1, "ENG") == at("2026-11-24 00:00")


def test_working_days_by_nation() -> None:
    assert not is_working_day(datetime(2026, 1, 2).date(), "SCT")
    assert is_working_day(datetime(2026, 1, 2).date(), "ENG")
    assert not is_working_day(datetime(2026, 11, 21).date(), "ENG")  # a Saturday


def test_the_clock_counts_whole_days_only() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        add_working_days(at("2026-11-18 10:30"), 0, "ENG")
