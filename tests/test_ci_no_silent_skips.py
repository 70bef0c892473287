"""Under CI a missing Chromium fails the run: a skipped journey proves nothing."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser import conftest as browser_conftest


class FakeItem:
    """What the collection hook reads and writes on a collected test."""

    def __init__(self, *markers: str) -> None:
        self.keywords = dict.fromkeys(markers, True)
        self.added: list[pytest.MarkDecorator] = []

    def add_marker(self, marker: pytest.MarkDecorator) -> None:
        self.added.append(marker)


@pytest.fixture
def no_chromium(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_conftest, "CHROMIUM", str(tmp_path / "no-chromium"))


def test_without_ci_a_missing_chromium_skips_the_browser_tests(no_chromium, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    journey, unit = FakeItem("browser"), FakeItem()

    browser_conftest.pytest_collection_modifyitems(None, [journey, unit])

    assert [m.name for m in journey.added] == ["skip"]
    assert "not installed" in journey.added[0].kwargs["reason"]
    assert unit.added == []


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_in_ci_a_missing_chromium_fails_the_run(no_chromium, monkeypatch, value):
    monkeypatch.setenv("CI", value)
    journey = FakeItem("browser")

    with pytest.raises(pytest.UsageError, match="CI is set: 1 browser tests cannot run"):
        browser_conftest.pytest_collection_modifyitems(None, [journey, FakeItem()])
    assert journey.added == []


def test_in_ci_a_run_without_browser_tests_needs_no_chromium(no_chromium, monkeypatch):
    """`make test-fast` deselects them first (the hook runs last)."""
    monkeypatch.setenv("CI", "true")
    unit = FakeItem()
    browser_conftest.pytest_collection_modifyitems(None, [unit])
    assert unit.added == []


@pytest.mark.parametrize("value", ["", "false", "0"])
def test_ci_false_is_not_ci(no_chromium, monkeypatch, value):
    monkeypatch.setenv("CI", value)
    journey = FakeItem("browser")
    browser_conftest.pytest_collection_modifyitems(None, [journey])
    assert [m.name for m in journey.added] == ["skip"]


def test_with_chromium_present_nothing_is_skipped(monkeypatch):
    monkeypatch.setattr(browser_conftest, "CHROMIUM", "/bin/sh")  # any file that exists
    monkeypatch.setenv("CI", "true")
    journey = FakeItem("browser")
    browser_conftest.pytest_collection_modifyitems(None, [journey])
    assert journey.added == []


def make_chromium(tmp_path: Path, *, ci: str | None) -> subprocess.CompletedProcess:
    """`make chromium` with Chromium missing and an apt-get that fails."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    apt_get = bin_dir / "apt-get"
    apt_get.write_text("#!/bin/sh\necho 'E: no network' >&2\nexit 100\n")
    apt_get.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "MAKEFLAGS", "MAKELEVEL")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(  # noqa: S603
        ["make", "--no-print-directory", "chromium", f"CHROMIUM={tmp_path / 'no-chromium'}"],  # noqa: S607
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_chromium_fails_loudly_in_ci_when_the_install_fails(tmp_path):
    result = make_chromium(tmp_path, ci="true")
    assert result.returncode != 0
    assert "CI is set" in result.stderr


def test_make_chromium_only_warns_outside_ci(tmp_path):
    result = make_chromium(tmp_path, ci=None)
    assert result.returncode == 0, result.stderr
    assert "browser tests will be SKIPPED" in result.stdout


def test_ci_run_sets_ci():
    script = (Path(settings.BASE_DIR) / ".ci" / "run").read_text()
    assert "\nexport CI=true\n" in script
    assert script.index("export CI=true") < script.index("make test")
