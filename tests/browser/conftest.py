"""Browser journeys: Playwright driving Debian's Chromium against the live server.

Playwright's sync API runs an event loop, and Django refuses ORM calls while
one is running in the thread: set data up before ``with chromium() as page``
and check the database after it.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from playwright.sync_api import Page, sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# A plain mid-week morning, weeks from a clock change, a month's end or a
# year's: a journey whose dates count from "now" (review dates, 72 hours after
# a return, a meeting next week) asserts the same days whenever it runs.
JOURNEY_DAY = datetime(2026, 12, 9, 10, 0, tzinfo=ZoneInfo("Europe/London"))
ARTIFACTS = Path(settings.BASE_DIR) / "test-results"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def running_in_ci() -> bool:
    """CI services set CI=true (.ci/run does too)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


# trylast: after `-m` has deselected, so `make test-fast` in CI needs no Chromium.
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items) -> None:
    if Path(CHROMIUM).exists():
        return
    browser_tests = [item for item in items if "browser" in item.keywords]
    if not browser_tests:
        return
    if running_in_ci():
        # A skipped journey in CI would read as a green build that proved nothing.
        raise pytest.UsageError(
            f"Chromium is not installed at {CHROMIUM} and CI is set: "
            f"{len(browser_tests)} browser tests cannot run, so the run fails "
            "(install it with make chromium, or set CHROMIUM to its path)."
        )
    message = f"Chromium is not installed at {CHROMIUM}: browser tests SKIPPED (run make chromium)"
    print(f"\n!!! {message} !!!\n")
    for item in browser_tests:
        item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture
def journey_day() -> Iterator[datetime]:
    """The clock on JOURNEY_DAY, ticking (Chromium's timeouts still pass).
    Ask for it first, so every record the journey's fixtures make is made
    on that day too (a child's age counts from it)."""
    with time_machine.travel(JOURNEY_DAY, tick=True):
        yield JOURNEY_DAY


@pytest.fixture
def chromium(request):
    """A context manager yielding a fresh page; saves a screenshot when the test ends."""

    @contextlib.contextmanager
    def open_page(expected_statuses: tuple[int, ...] = ()) -> Iterator[Page]:
        """`expected_statuses`: error pages the test visits on purpose (Chromium
        logs each as a console error, which would otherwise fail the test)."""
        expected = tuple(f"status of {status} " for status in expected_statuses)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
            page = context.new_page()
            page.set_default_timeout(15_000)
            errors: list[str] = []
            page.on(
                "console",
                lambda m: (
                    errors.append(m.text)
                    if m.type == "error" and not any(e in m.text for e in expected)
                    else None
                ),
            )
            try:
                yield page
            finally:
                ARTIFACTS.mkdir(exist_ok=True)
                shown = next((p for p in reversed(context.pages) if not p.is_closed()), None)
                if shown is not None:  # a test may close its first tab
                    shown.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
                browser.close()
            # A CSP violation or a broken script shows up as a console error.
            assert errors == [], errors

    return open_page
