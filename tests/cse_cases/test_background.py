"""Services send tasks by name, on commit; no service imports a tasks module.

Tasks import services (they load by id and call one), so the arrow must not
point back: a services module (or a merge handler, which runs inside the
merge service) that imported a tasks module would close an import cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from celery.exceptions import NotRegistered
from django.conf import settings
from django.core import mail

from cse_cases import background

APPS = ("cse_cases", "referrals", "assessments", "supervision", "reports")


def _sends_tasks_from(path: Path) -> bool:
    """Modules that run inside a service's transaction."""
    parts = path.with_suffix("").parts
    return "migrations" not in parts and ("services" in parts or parts[-1] == "merge")


def _tasks_imports(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[-1] == "tasks"]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            named = f"{'.' * node.level}{module}"
            if module.split(".")[-1] == "tasks":
                found.append(f"{named} (line {node.lineno})")
            elif any(a.name == "tasks" for a in node.names):
                found.append(f"{named}.tasks (line {node.lineno})")
    return found


def test_no_service_imports_a_tasks_module() -> None:
    base = Path(settings.BASE_DIR)
    checked = [
        path
        for app in APPS
        for path in sorted((base / app).rglob("*.py"))
        if _sends_tasks_from(path.relative_to(base))
    ]
    assert len(checked) > 10, "the scan found the services modules"
    offenders = {
        str(path.relative_to(base)): imports
        for path in checked
        if (imports := _tasks_imports(path))
    }
    assert offenders == {}, "send the task by name: cse_cases.background.send_on_commit"


def test_a_misspelt_task_name_fails_the_service_at_once() -> None:
    with pytest.raises(NotRegistered):
        background.send_on_commit("cse_cases.tasks.no_such_task", 1)


@pytest.mark.django_db
def test_a_task_is_sent_when_the_transaction_commits(amira, run_tasks) -> None:
    with run_tasks() as callbacks:
        background.send_on_commit("cse_cases.tasks.send_password_reset_link", amira.pk)
        assert mail.outbox == [], "nothing is sent before the commit"
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [[amira.email]]
