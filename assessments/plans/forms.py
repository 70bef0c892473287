"""The form for a plan review (GOV.UK markup through GovukFormMixin)."""

from __future__ import annotations

from django import forms

from assessments.models import PLAN_SECTIONS
from assessments.text import text_field
from cse_cases.date_input import GovukDateField
from cse_cases.forms import GovukFormMixin, PersonChoiceField
from cse_cases.models import User


class PlanForm(GovukFormMixin, forms.Form):
    based_on = forms.IntegerField(widget=forms.HiddenInput)
    consistent_worker = PersonChoiceField(
        label="The young person's consistent worker",
        help_text="One named person the young person can rely on.",
        queryset=User.objects.none(),
        empty_label="Choose a person",
        error_messages={"required": "Name the young person's consistent worker."},
    )
    review_on = GovukDateField(
        label="Review by",
        message_name="The review date",
        error_messages={"required": "Enter the review date"},
    )
    review_notes = text_field("What this review found", rows=3)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consistent_worker"].queryset = people
        # The plan's sections, in order, after the worker.
        for name, heading in PLAN_SECTIONS:
            self.fields[name] = text_field(heading, rows=5)
            self._check_language(name, self.fields[name])
            self.fields[name].widget.attrs["class"] = "govuk-textarea"
        self.order_fields(
            [
                "based_on",
                *[n for n, _ in PLAN_SECTIONS],
                "consistent_worker",
                "review_on",
                "review_notes",
            ]
        )

    def sections(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for name, _ in PLAN_SECTIONS}
