"""Forms for assessments: the lead professional's part, an agency's section, review."""

from __future__ import annotations

from django import forms

from assessments.models import ASSESSED_LEVELS, TEXT_MAX, Answer, AssessmentTemplate
from assessments.risk.services import CORE_TEXT_FIELDS, WHEN_MAX
from assessments.text import too_long
from cse_cases.forms import GovukFormMixin


class AssessmentForm(GovukFormMixin, forms.Form):
    """Built from the assessment's template: three fields per indicator.

    Everything is optional here, because a draft is saved as it is typed;
    what a submission needs is checked by the service, all at once.
    """

    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"id": "assessment-version"}))
    other_strengths = forms.CharField(
        label="Other strengths and protective factors",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=too_long(TEXT_MAX),
    )
    young_persons_views = forms.CharField(
        label="The young person's views, in their own words",
        help_text="Write what they said as they said it. If they could not or would not give "
        "their views, say why.",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=too_long(TEXT_MAX),
    )
    parents_views = forms.CharField(
        label="Parents' and carers' views",
        help_text="If they were not asked, say why.",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=too_long(TEXT_MAX),
    )
    judged_level = forms.ChoiceField(
        label="Your judgement of the level of risk",
        choices=ASSESSED_LEVELS,
        required=False,
        widget=forms.RadioSelect,
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="Required when your judgement differs from the suggested level.",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=too_long(TEXT_MAX),
    )

    def __init__(self, *args, template: AssessmentTemplate, **kwargs) -> None:
        self.template = template
        self.indicator_ids: list[int] = []
        super().__init__(*args, **kwargs)
        for domain in template.domains.all():
            for indicator in domain.indicators.all():
                self.indicator_ids.append(indicator.pk)
                self.fields[f"i{indicator.pk}_answer"] = forms.ChoiceField(
                    label=indicator.text,
                    choices=Answer.choices,
                    required=False,
                    widget=forms.RadioSelect(attrs={"class": "govuk-radios__input"}),
                )
                self.fields[f"i{indicator.pk}_when"] = forms.CharField(
                    label="When",
                    required=False,
                    max_length=WHEN_MAX,
                    error_messages=too_long(WHEN_MAX),
                    widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
                )
                self.fields[f"i{indicator.pk}_evidence"] = forms.CharField(
                    label="Evidence",
                    required=False,
                    max_length=TEXT_MAX,
                    error_messages=too_long(TEXT_MAX),
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                # The mixin styled the built-in fields; style these too.
                for suffix, css in (("when", "govuk-input"), ("evidence", "govuk-textarea")):
                    widget = self.fields[f"i{indicator.pk}_{suffix}"].widget
                    if css not in widget.attrs.get("class", ""):
                        widget.attrs["class"] = f"{css} {widget.attrs.get('class', '')}".strip()
                self._check_language(
                    f"i{indicator.pk}_evidence", self.fields[f"i{indicator.pk}_evidence"]
                )

    def answers(self) -> dict[int, dict]:
        data = self.cleaned_data
        return {
            pk: {
                "answer": data.get(f"i{pk}_answer", ""),
                "when": data.get(f"i{pk}_when", ""),
                "evidence": data.get(f"i{pk}_evidence", ""),
            }
            for pk in self.indicator_ids
        }

    def core_values(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name, "") for name in CORE_TEXT_FIELDS}
        values["judged_level"] = data.get("judged_level", "")
        return values

    def valid_part(self) -> tuple[dict, dict[int, dict]]:
        """For autosave: whatever validated, leaving out fields with errors."""
        self.is_valid()
        cleaned = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        self.cleaned_data = cleaned
        values = {k: v for k, v in self.core_values().items() if k in cleaned}
        answers = {
            pk: given
            for pk, given in self.answers().items()
            if all(f"i{pk}_{part}" in cleaned for part in ("answer", "when", "evidence"))
        }
        return values, answers


class SectionForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput(attrs={"id": "section-version"}))
    contribution = forms.CharField(
        label="What your agency knows, and what it is doing",
        help_text="Contact with the young person and family, concerns, and the support your "
        "agency gives. Write the young person's words as they said them.",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={
            "required": "Write your agency's contribution.",
            **too_long(TEXT_MAX),
        },
    )


class ReviewForm(GovukFormMixin, forms.Form):
    comments = forms.CharField(
        label="Comments",
        help_text="Needed when you return the assessment: say what should change.",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=too_long(TEXT_MAX),
    )
