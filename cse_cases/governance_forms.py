"""Forms for information governance: finding a record, filtering its trail,
reviewing emergency access."""

from __future__ import annotations

from django import forms

from cse_cases.date_input import GovukDateField
from cse_cases.forms import GovukFormMixin
from cse_cases.models import AuditAction, BreakGlassOutcome

# Harbour record numbers are positive and fit a PostgreSQL bigint.
RECORD_NUMBER_MAX = 2**63 - 1


class FindRecordForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Name or alias", required=False, max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    identifier = forms.CharField(
        label="NHS number, police reference or school UPN", required=False, max_length=50
    )
    record_number = forms.IntegerField(
        label="Harbour record number",
        required=False,
        min_value=1,
        max_value=RECORD_NUMBER_MAX,
        error_messages={
            "invalid": "The record number is the number in the record's address, like 1234",
            "min_value": "The record number is the number in the record's address, like 1234",
            "max_value": "No record has a number that large",
        },
    )

    def has_criteria(self) -> bool:
        return any(
            self.cleaned_data.get(k) not in (None, "")
            for k in ("q", "date_of_birth", "identifier", "record_number")
        )


class TrailFilterForm(GovukFormMixin, forms.Form):
    person = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Person")
    action = forms.ChoiceField(
        required=False, choices=[("", "Any action"), *AuditAction.choices], label="Action"
    )
    # A filter, not a record: any year is a fair bound (0001 = "from the start").
    date_from = GovukDateField(
        label="From", required=False, message_name="The start date", earliest_year=1
    )
    date_to = GovukDateField(
        label="To", required=False, message_name="The end date", earliest_year=1
    )

    def __init__(self, *args, people: list[tuple[int, str]] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Anyone"), *people]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end date must be on or after the start date")
        return data


class BreakGlassReviewForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        choices=BreakGlassOutcome.choices,
        widget=forms.RadioSelect,
        label="Was this use of emergency access appropriate?",
        error_messages={"required": "Choose whether the access was appropriate"},
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5_000,
        label="Note",
        help_text="What you checked, and what happens next",
        error_messages={"required": "Write a note: what you checked, and what happens next"},
    )
