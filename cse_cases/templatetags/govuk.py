"""Template filters for GOV.UK form markup."""

from __future__ import annotations

from django import forms, template

from cse_cases.forms import error_target

register = template.Library()


@register.filter
def govuk_error_target(bound: forms.BoundField) -> str:
    """The element id an error-summary link for this field goes to."""
    return error_target(bound)
