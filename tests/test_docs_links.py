"""The README and docs/ link only to files in the repository, and every such
link reaches a file that exists (a link out of the checkout, like the old
`../shared/DESIGN.md`, reaches nothing on a contributor's machine)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR).resolve()
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# [text](target) and [text](target "title"), but not images' remote URLs.
LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# Paths written in backticks that name a file above the checkout.
OUTSIDE = re.compile(r"`(\.\./[^`]+)`")


def relative_links(page: Path) -> list[str]:
    text = page.read_text()
    links = [target for target in LINK.findall(text) if not re.match(r"[a-z][a-z0-9+.-]*:", target)]
    return [target for target in links if not target.startswith("#")]


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_reaches_a_file_in_the_repository(page: Path) -> None:
    for target in relative_links(page):
        path = (page.parent / target.split("#", 1)[0]).resolve()
        assert path.is_relative_to(ROOT), f"{target} leaves the repository"
        assert path.exists(), f"{target} does not exist"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_page_names_a_file_outside_the_repository(page: Path) -> None:
    assert OUTSIDE.findall(page.read_text()) == []


def test_the_readme_links_the_design_map() -> None:
    assert "docs/design.md" in relative_links(ROOT / "README.md")


def test_the_checker_finds_links() -> None:
    # A guard on the guard: a regex that matched nothing would pass the tests above.
    assert "docs/access.md" in relative_links(ROOT / "README.md")
    assert "../README.md" in relative_links(ROOT / "docs" / "design.md")
