"""No Python module over 500 lines, migrations aside.

A module that passes about 500 lines becomes a package (docs/design.md,
"Layout"). Past that, a file holds more than one idea and a newcomer cannot read
it in one sitting; held here, the split happens when the file grows, not in a
clean-up issue later. Migrations are generated,
read once and never edited, so they are left out.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

LIMIT = 500
ROOT = Path(__file__).resolve().parent.parent


def python_files() -> list[Path]:
    """Every Python file in the project: tracked, or new and not yet committed
    (so a file is checked before its first commit), from git; outside a git
    checkout, a walk of the tree that leaves out what git would ignore."""
    git = shutil.which("git")
    try:
        if git is None:
            raise FileNotFoundError("git")
        listed = subprocess.run(  # noqa: S603 - git found on PATH, arguments fixed
            [git, "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        paths = [ROOT / name for name in listed]
    except (OSError, subprocess.CalledProcessError):
        skipped = {".venv", "node_modules", ".git"}
        paths = [
            path for path in ROOT.rglob("*.py") if not skipped & set(path.relative_to(ROOT).parts)
        ]
    # A file deleted in the work tree but not yet in git's index is no module.
    return sorted(path for path in paths if "migrations" not in path.parts and path.is_file())


def test_no_module_is_over_500_lines() -> None:
    files = python_files()
    assert files, "found no Python files: the walk is wrong, not the project right"
    too_long = {}
    for path in files:
        with path.open(encoding="utf-8") as source:
            lines = sum(1 for _ in source)
        if lines > LIMIT:
            too_long[str(path.relative_to(ROOT))] = lines
    assert not too_long, (
        f"Over {LIMIT} lines (make each a package along a real seam): "
        + ", ".join(f"{name} ({lines})" for name, lines in sorted(too_long.items()))
    )
