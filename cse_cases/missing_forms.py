"""Forms for missing episodes, return home interviews and the police import."""

from __future__ import annotations

from django import forms

from cse_cases.forms import GovukFormMixin, person_label
from cse_cases.models import MissingEpisode, ReturnInterview
from cse_cases.services.missing import EPISODE_FIELDS, INTERVIEW_FIELDS, INTERVIEW_TEXTS

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def _radios_without_blank(form: forms.ModelForm) -> None:
    """A required choice shown as radios needs no "---------" option."""
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect):
            field.choices = [choice for choice in field.choices if choice[0] != ""]


def _times(form: forms.ModelForm, *names: str) -> None:
    for name in names:
        field = form.fields[name]
        # A widget of its own: error classes added to one must not reach others.
        field.widget = forms.DateTimeInput(
            attrs={"type": "datetime-local", "class": "govuk-input govuk-input--width-20"},
            format="%Y-%m-%dT%H:%M",
        )
        field.input_formats = DATETIME_FORMATS
        field.error_messages["invalid"] = "Enter a real date and time"


class EpisodeForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = MissingEpisode
        fields = list(EPISODE_FIELDS)
        widgets = {
            "where_found": forms.Textarea(attrs={"rows": 2}),
            "found_with": forms.Textarea(attrs={"rows": 2}),
            "classification_rationale": forms.Textarea(attrs={"rows": 2}),
            "exploitation_concern_detail": forms.Textarea(attrs={"rows": 3}),
            "risk_grading": forms.RadioSelect,
            "missing_or_absent": forms.RadioSelect,
            "missing_from": forms.RadioSelect,
        }
        help_texts = {
            "returned_at": "Leave empty while the young person is still missing",
            "police_reference": "The police missing-person reference",
        }
        error_messages = {
            "last_seen_at": {"required": "Enter when the young person was last seen"},
            "reported_at": {"required": "Enter when they were reported missing"},
            "risk_grading": {"required": "Choose the police risk grading"},
            "missing_or_absent": {"required": "Say whether they were missing or absent"},
            "missing_from": {"required": "Say whether they went missing from home or a placement"},
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _times(self, "last_seen_at", "reported_at", "returned_at")
        _radios_without_blank(self)
        self.fields["how_returned"].choices = [
            ("", "Not yet known"),
            *list(self.fields["how_returned"].choices)[1:],
        ]


class InterviewForm(GovukFormMixin, forms.ModelForm):
    confirm = forms.BooleanField(
        required=False,
        label="I confirm the allocated social worker is the best person to hold this interview",
    )

    class Meta:
        model = ReturnInterview
        fields = list(INTERVIEW_FIELDS)
        widgets = {
            "interviewer_relationship": forms.RadioSelect,
            "outcome": forms.RadioSelect,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (*INTERVIEW_TEXTS, "young_persons_words")
            },
        }
        labels = {"interviewer_relationship": "The interviewer is"}
        error_messages = {
            "offered_at": {"required": "Enter when the interview was offered"},
            "interviewer": {"required": "Choose who held (or tried to hold) the interview"},
            "interviewer_relationship": {"required": "Say who the interviewer is to them"},
            "outcome": {"required": "Choose the outcome"},
        }

    def __init__(self, *args, interviewers, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _times(self, "offered_at", "held_at")
        _radios_without_blank(self)
        self.fields["interviewer"].queryset = interviewers
        self.fields["interviewer"].label_from_instance = person_label


class ImportForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Police missing notifications (CSV)",
        error_messages={"required": "Choose the CSV file to import"},
    )
