"""Harbour's own words pass its language check (DESIGN.md principle 7).

Every template, every form's labels, help text, choices and error messages,
every model field's name, help text and choices, and every sentence written in
the code (messages, errors, email subjects) is run through the same check the
users' writing goes through, and any finding fails the test. The language
package itself is left out: its rules and word lists name the phrases on
purpose.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings

from assessments.language.rules import check

ROOT = Path(settings.BASE_DIR)
APPS = ("cse_cases", "referrals", "assessments", "supervision", "reports")
# The check's own engine names the phrases on purpose; its pages, messages
# and errors (views, services, middleware) are product copy like any other.
ENGINE = ("engine", "roles", "conditions", "words", "wording", "evaluation", "rules")
LEFT_OUT = (
    *(f"assessments/language/{name}.py" for name in ENGINE),
    "/migrations/",
    "/demo/",
    "demo.py",
)
# Template syntax and markup are not words: read the text between them.
_TEMPLATE_SYNTAX = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}|<[^<>]*>", re.DOTALL)
# SQL in the code is not shown to anyone ("SELECT ... FROM").
_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|WITH|CREATE)\b[\s\S]*\b(FROM|INTO|SET|AS)\b")
_WORDS = re.compile(r"[A-Za-z][a-z]+(?:[\s,;:\u2019'-]+[A-Za-z]+){2,}")


def _findings(where: str, text: str) -> list[str]:
    return [f"{where}: “{f.phrase}” ({f.rule}) in {text.strip()[:120]!r}" for f in check(text)]


def _template_files() -> list[Path]:
    found = [*sorted((ROOT / "templates").rglob("*.html"))]
    found += sorted((ROOT / "templates").rglob("*.txt"))
    for app in APPS:
        found += sorted((ROOT / app).rglob("templates/**/*.html"))
    return found


def _sentences_of_template(path: Path) -> list[str]:
    text = _TEMPLATE_SYNTAX.sub("\n", path.read_text(encoding="utf-8"))
    return [part for part in re.split(r"\n\s*\n", text) if _WORDS.search(part)]


def _python_files() -> list[Path]:
    files = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not any(part in f"/{relative}" for part in LEFT_OUT):
                files.append(path)
    return files


def _docstrings(tree: ast.AST) -> set[int]:
    """The ids of docstring nodes: written for engineers, not shown to users."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _strings_in_code(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and _WORDS.search(node.value)
        and not _SQL.search(node.value)
    ]


def test_every_template_passes_the_language_check() -> None:
    templates = _template_files()
    assert len(templates) > 100
    found = [
        finding
        for path in templates
        for text in _sentences_of_template(path)
        for finding in _findings(path.relative_to(ROOT).as_posix(), text)
    ]
    assert not found, "\n".join(found)


def test_every_sentence_in_the_code_passes_the_language_check() -> None:
    """Messages, errors, email subjects, labels written inline: every string
    of three words or more outside docstrings."""
    files = _python_files()
    assert len(files) > 100
    checked = 0
    found = []
    for path in files:
        for text in _strings_in_code(path):
            checked += 1
            found += _findings(path.relative_to(ROOT).as_posix(), text)
    assert checked > 1_000
    assert not found, "\n".join(found)


def _all_subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_all_subclasses(sub)]
    return out


def _field_words(field: forms.Field) -> list[str]:
    words = [str(field.label or ""), str(field.help_text or "")]
    words += [str(message) for message in field.error_messages.values()]
    choices = [] if isinstance(field, forms.ModelChoiceField) else getattr(field, "choices", None)
    for choice in choices or []:
        if isinstance(choice, (tuple, list)) and len(choice) == 2:
            words.append(str(choice[1]))
    return [w for w in words if w]


@pytest.mark.django_db
def test_every_form_label_help_text_choice_and_error_passes_the_language_check() -> None:
    for app in APPS:
        for module in ("forms", "views", "api"):
            if importlib.util.find_spec(f"{app}.{module}") is not None:
                importlib.import_module(f"{app}.{module}")
    form_classes = [
        cls for cls in _all_subclasses(forms.BaseForm) if cls.__module__.split(".")[0] in APPS
    ]
    assert len(form_classes) > 20
    found = []
    for cls in form_classes:
        for name, field in getattr(cls, "base_fields", {}).items():
            for text in _field_words(field):
                found += _findings(f"{cls.__module__}.{cls.__name__}.{name}", text)
    assert not found, "\n".join(found)


def test_every_model_field_name_help_text_and_choice_passes_the_language_check() -> None:
    found = []
    models = [m for m in apps.get_models() if m._meta.app_label in APPS]
    assert len(models) > 20
    for model in models:
        found += _findings(model.__name__, str(model._meta.verbose_name_plural))
        for field in model._meta.get_fields():
            for text in (
                str(getattr(field, "verbose_name", "") or ""),
                str(getattr(field, "help_text", "") or ""),
                *(str(label) for _value, label in (getattr(field, "flatchoices", None) or [])),
            ):
                if text:
                    found += _findings(f"{model.__name__}.{field.name}", text)
    assert not found, "\n".join(found)


_JS_STRING = re.compile(r"`([^`]*)`|\"((?:[^\"\\\n]|\\.)*)\"|'((?:[^'\\\n]|\\.)*)'")


def test_every_sentence_in_harbours_own_scripts_passes_the_language_check() -> None:
    scripts = [
        path
        for path in sorted((ROOT / "static").rglob("*.js"))
        if "build" not in path.relative_to(ROOT / "static").parts
    ]
    assert scripts
    found = []
    for path in scripts:
        for match in _JS_STRING.finditer(path.read_text(encoding="utf-8")):
            text = next(part for part in match.groups() if part is not None)
            if _WORDS.search(text):
                found += _findings(path.relative_to(ROOT).as_posix(), text)
    assert not found, "\n".join(found)
