"""Working days for the clocks (DESIGN.md section 5), by UK nation.

A working day is a weekday that is not a bank holiday in the area's nation:
England and Wales share their holidays; Scotland (2 January, St Andrew's Day,
an early August holiday) and Northern Ireland (St Patrick's Day, the Battle of
the Boyne) differ. The holidays come from the `holidays` library, including
the substitute days when a holiday falls at a weekend.

Time is counted on the wall clock in Europe/London: "one working day after
Friday 15:00" is Monday 15:00, whatever the clocks did at the weekend.

Working hours (`add_working_hours`, `urgent_due`) count only the office hours
of working days (WORKING_DAY_START to WORKING_DAY_END, 09:00 to 17:00 unless
configured): a clock started outside them starts at the next working day's
start.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

LONDON = ZoneInfo("Europe/London")


@lru_cache(maxsize=64)
def _holidays(nation: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv=nation, years=year))


def bank_holiday(day: date, nation: str) -> bool:
    return day in _holidays(nation, day.year)


def is_working_day(day: date, nation: str) -> bool:
    return day.weekday() < 5 and not bank_holiday(day, nation)


def next_working_day(day: date, nation: str) -> date:
    """The first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day, nation):
        day += timedelta(days=1)
    return day


def add_working_days(moment: datetime, days: int, nation: str) -> datetime:
    """The moment `days` whole working days after `moment`.

    A working day counts all of its 24 hours; weekends and bank holidays
    count none. So a clock started at 15:00 on a working day runs out at 15:00
    on a later working day; one started on a non-working day starts at the
    beginning of the next working day, and one working day later is the end
    of that day (midnight).
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    local = moment.astimezone(LONDON)
    day, at = local.date(), local.time().replace(tzinfo=None)
    if not is_working_day(day, nation):
        day, at = next_working_day(day, nation), time.min
    if at == time.min:
        # A clock starting at midnight uses up whole days: the end of the
        # (days)th working day, which is midnight at the start of the next
        # calendar day, whether or not that day is a working day.
        for _ in range(days - 1):
            day = next_working_day(day, nation)
        return datetime.combine(day + timedelta(days=1), time.min, tzinfo=LONDON)
    for _ in range(days):
        day = next_working_day(day, nation)
    return datetime.combine(day, at, tzinfo=LONDON)


def latest_start_due_by(now: datetime, days: int, nation: str) -> datetime:
    """The latest moment a clock of `days` working days could have started and
    already have run out by `now`.

    A rule can then ask the database "started at or before this?" for each
    nation, instead of working out every row's due time in Python. The clock is
    monotonic (a later start is never due earlier), so a binary search over the
    weeks before finds the exact answer.
    """
    # Microseconds from a start long enough ago for any run of holidays: the
    # answer is exact, so "due at or before now" agrees with add_working_days.
    start = now - timedelta(days=7 * days + 30)
    if add_working_days(start, days, nation) > now:
        return start
    low, high = 0, (now - start) // timedelta(microseconds=1)
    while low < high:
        middle = (low + high + 1) // 2
        if add_working_days(start + timedelta(microseconds=middle), days, nation) <= now:
            low = middle
        else:
            high = middle - 1
    return start + timedelta(microseconds=low)


def _office_hours() -> tuple[time, time]:
    return settings.WORKING_DAY_START, settings.WORKING_DAY_END


def working_hours_start(moment: datetime, nation: str) -> datetime:
    """When a working-hours clock started at `moment` begins to run: `moment`
    itself inside office hours of a working day, otherwise the start of the
    next office hours (later today before opening, else the next working day)."""
    opens, closes = _office_hours()
    local = moment.astimezone(LONDON)
    day, at = local.date(), local.time().replace(tzinfo=None)
    if is_working_day(day, nation) and at < closes:
        if at < opens:
            return datetime.combine(day, opens, tzinfo=LONDON)
        return local
    return datetime.combine(next_working_day(day, nation), opens, tzinfo=LONDON)


def add_working_hours(moment: datetime, hours: float, nation: str) -> datetime:
    """The moment `hours` office hours after `moment`, carrying what does not
    fit into the rest of the day over to the next working day's opening."""
    if hours < 0:
        raise ValueError("hours must not be negative")
    opens, closes = _office_hours()
    # Wall-clock arithmetic (naive local times): a day when the clocks change
    # still has its office hours from opening to closing as on the door.
    start = working_hours_start(moment, nation)
    day, at = start.date(), datetime.combine(start.date(), start.time().replace(tzinfo=None))
    left = timedelta(hours=hours)
    while True:
        closing = datetime.combine(day, closes)
        if left <= closing - at:
            return (at + left).replace(tzinfo=LONDON)
        left -= closing - at
        day = next_working_day(day, nation)
        at = datetime.combine(day, opens)


def urgent_due(moment: datetime, nation: str) -> datetime:
    """When an urgent decision ("needs a decision today") is due: the close of
    the working day its clock starts on, or REFERRAL_URGENT_WORKING_HOURS
    office hours after that start, whichever is later.

    Received at 10:00 on a Tuesday: due 17:00 Tuesday. At 16:30 Tuesday:
    12:30 Wednesday. On a Saturday: the clock starts at Monday's opening,
    so due at Monday's close.
    """
    _, closes = _office_hours()
    start = working_hours_start(moment, nation)
    end_of_day = datetime.combine(start.date(), closes, tzinfo=LONDON)
    by_hours = add_working_hours(start, settings.REFERRAL_URGENT_WORKING_HOURS, nation)
    return max(end_of_day, by_hours)
