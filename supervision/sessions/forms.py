"""The session form (the parts), the case discussions (a formset: a case, the
decision, one action agreed), and the worker's reflection. Human messages;
no access decisions (the querysets come from the access package)."""

from __future__ import annotations

from typing import Any

from django import forms

from assessments.models import TEXT_MAX
from assessments.text import text_field, too_long
from cse_cases.date_input import GovukDateField
from cse_cases.forms import GovukFormMixin, PersonChoiceField, _LiteralChoiceErrors
from cse_cases.models import Case, User
from supervision.sessions.models import MAX_MINUTES, SessionFormat
from supervision.sessions.services import ActionAgreed, Discussion, SessionParts

RATINGS = [
    ("", "Not asked this time"),
    ("1", "1: struggling"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", "5: thriving"),
]


class SessionForm(GovukFormMixin, forms.Form):
    held_on = GovukDateField(
        label="Date of the session",
        message_name="The date of the session",
        error_messages={"required": "Enter the date of the session"},
    )
    duration_minutes = forms.IntegerField(
        label="Length (minutes)",
        min_value=1,
        max_value=MAX_MINUTES,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-4"}),
        error_messages={
            "required": "Enter the length of the session in minutes",
            "invalid": "Enter the length as a whole number of minutes, like 60",
            "min_value": "The length must be at least 1 minute",
            "max_value": f"The length must be at most {MAX_MINUTES} minutes (8 hours)",
        },
    )
    format = forms.ChoiceField(
        label="Format",
        choices=SessionFormat.choices,
        initial=SessionFormat.ONE_TO_ONE,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose one-to-one or group",
            "invalid_choice": "Choose one-to-one or group",
        },
    )
    development = text_field(
        "Development: learning and training needs",
        help_text="Private to you and the worker.",
    )
    support = text_field(
        "Support: wellbeing, the emotional impact of the work, workload",
        help_text="Private to you and the worker.",
    )
    mediation = text_field(
        "Mediation: anything to take to the organisation",
        help_text="Private to you and the worker.",
    )
    wellbeing_rating = forms.ChoiceField(
        label="How the worker rates their wellbeing (1 to 5)",
        choices=RATINGS,
        required=False,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": "Choose a rating from 1 to 5, or leave it as not asked",
        },
    )
    wellbeing_words = text_field(
        "The worker's own words about their wellbeing",
        help_text="Private to you and the worker. Others see only team figures over 5 workers.",
    )

    def parts(self) -> SessionParts:
        data = self.cleaned_data
        rating = data.get("wellbeing_rating")
        return SessionParts(
            held_on=data["held_on"],
            duration_minutes=data["duration_minutes"],
            format=data["format"],
            development=data.get("development", ""),
            support=data.get("support", ""),
            mediation=data.get("mediation", ""),
            wellbeing_rating=int(rating) if rating else None,
            wellbeing_words=data.get("wellbeing_words", ""),
        )


class EditSessionForm(SessionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class CaseChoiceField(_LiteralChoiceErrors, forms.ModelChoiceField):
    def label_from_instance(self, obj: Case) -> str:
        return obj.young_person.display_name


class DiscussionForm(GovukFormMixin, forms.Form):
    """One case discussed: the case, the decision, and an action agreed.
    A row with no case chosen and nothing typed is left out."""

    case = CaseChoiceField(
        label="Case discussed",
        queryset=Case.objects.none(),
        required=False,
        empty_label="Choose a case",
    )
    decision = forms.CharField(
        label="Decision",
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=too_long(TEXT_MAX),
        help_text="Goes onto the child's record, for the team around the child.",
    )
    action_description = forms.CharField(
        label="Action agreed (optional)",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=too_long(5000),
    )
    action_owner = PersonChoiceField(
        label="Who owns the action",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose a person",
    )
    action_due_on = GovukDateField(
        label="Action due by", message_name="The action's due date", required=False
    )

    def __init__(
        self,
        *args: Any,
        cases: Any = None,
        owners: Any = None,
        worker_name: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases if cases is not None else Case.objects.none()
        self.fields["case"].error_messages["invalid_choice"] = (
            f"Choose one of {worker_name}'s open cases from the list: they must lead it or be "
            "in the team around the child."
        )
        self.fields["action_owner"].queryset = owners if owners is not None else User.objects.none()
        self.fields["action_owner"].error_messages["invalid_choice"] = (
            f"Choose {worker_name} or someone in the team around the child to own the action."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        case = data.get("case")
        typed = any(data.get(n) for n in ("decision", "action_description", "action_owner"))
        if case is None:
            if typed:
                self.add_error("case", "Choose the case this decision is about.")
            return data
        if not (data.get("decision") or "").strip():
            self.add_error("decision", "Write the decision made about this case.")
        action = any(data.get(n) for n in ("action_description", "action_owner", "action_due_on"))
        if action:
            if not (data.get("action_description") or "").strip():
                self.add_error("action_description", "Say what is to be done.")
            if not data.get("action_owner"):
                self.add_error("action_owner", "Choose who owns the action.")
            if not data.get("action_due_on") and "action_due_on" not in self.errors:
                self.add_error("action_due_on", "Enter the date the action is due by.")
        return data

    def discussion(self) -> Discussion | None:
        data = self.cleaned_data
        if not data.get("case"):
            return None
        actions = []
        if data.get("action_description"):
            actions.append(
                ActionAgreed(
                    description=data["action_description"],
                    owner=data["action_owner"],
                    due_on=data["action_due_on"],
                )
            )
        return Discussion(case=data["case"], decision=data["decision"], actions=actions)


DiscussionFormSet = forms.formset_factory(DiscussionForm, extra=2, max_num=20, absolute_max=20)


class ReflectionForm(GovukFormMixin, forms.Form):
    worker_reflection = text_field(
        "Your reflection",
        rows=8,
        help_text="Yours: only you write it, and only you and your supervisor read it.",
    )
