"""Filling and reading the GOV.UK date input (day, month, year) in a browser."""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect


def date_group(page: Page, label: str):
    """The date's fieldset, found by its legend as a screen reader finds it."""
    return page.get_by_role("group", name=label, exact=True)


def fill_date(page: Page, label: str, value: date | str) -> None:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    group = date_group(page, label)
    group.get_by_label("Day").fill(str(value.day))
    group.get_by_label("Month").fill(str(value.month))
    group.get_by_label("Year").fill(str(value.year))


def expect_date(page: Page, label: str, value: date) -> None:
    group = date_group(page, label)
    expect(group.get_by_label("Day")).to_have_value(str(value.day))
    expect(group.get_by_label("Month")).to_have_value(str(value.month))
    expect(group.get_by_label("Year")).to_have_value(str(value.year))
