"""Free text in every assessments sub-package: the longest a field may be, as
the services refuse it and as the forms say it. One place, so a meeting's
minutes, a plan's sections and an assessment's evidence are held to the same
words."""

from __future__ import annotations

from django import forms

from assessments.models import TEXT_MAX
from cse_cases.services import RecordError


def check_text(name: str, value: str, limit: int = TEXT_MAX) -> str:
    if len(value) > limit:
        raise RecordError(
            f"This is {len(value):,} characters long; the most is {limit:,}. "
            "Shorten it, or attach the detail as a case note.",
            field=name,
        )
    return value


def too_long(limit: int) -> dict:
    return {"max_length": f"This is too long: at most {limit:,} characters."}


def text_field(label: str, *, required: bool = False, rows: int = 4, help_text: str = "", **kw):
    """A textarea held to TEXT_MAX, for meetings' and plans' forms."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages=too_long(TEXT_MAX) | kw.pop("error_messages", {}),
        **kw,
    )
