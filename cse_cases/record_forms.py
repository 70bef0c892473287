"""Forms for the young person's record, in GOV.UK markup."""

from __future__ import annotations

from django import forms

from cse_cases.date_input import GovukDateField
from cse_cases.forms import (
    GovukFormMixin,
    HumanMessagesMixin,
    PeopleChoiceField,
    PersonChoiceField,
    QuickSelect,
)
from cse_cases.identifiers import normalise_nhs_number, validate_nhs_number
from cse_cases.models import (
    NOTE_MAX_CHARACTERS,
    Area,
    ClosureCategory,
    ExploitationModel,
    LawfulBasis,
    NoteType,
    NoteVisibility,
    RiskLevel,
    User,
    YoungPerson,
)
from cse_cases.services.records import OLDEST_AGE, YOUNG_PERSON_FIELDS

MAX_TEXT = 10_000


class YoungPersonForm(GovukFormMixin, forms.ModelForm):
    # Typed with spaces as printed on letters (485 777 3457); stored as 10 digits.
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=14,
        validators=[validate_nhs_number],
        help_text="10 digits, like 485 777 3457",
    )
    aliases = forms.CharField(
        required=False,
        help_text="Other names they use or are called, one per line",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = YoungPerson
        fields = list(YOUNG_PERSON_FIELDS)
        field_classes = {"date_of_birth": GovukDateField, "placement_start": GovukDateField}
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "disability_or_send": forms.Textarea(attrs={"rows": 3}),
            "adult_record_reason": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"legal_first_name": "First name (legal)", "legal_last_name": "Last name (legal)"}
        help_texts = {
            "date_of_birth_estimated": "Tick if the date of birth is an estimate",
            "adult_record_reason": "Only for someone 18 or over: why they need a record here",
            "sexual_orientation": "Optional. Only the lead professional and CSE leads see this",
        }
        error_messages = {
            "legal_first_name": {"required": "Enter their first name"},
            "legal_last_name": {"required": "Enter their last name"},
            "date_of_birth": {
                "required": "Enter their date of birth (an estimate is fine: tick the box)",
            },
            "area": {"required": "Choose the area they live in"},
        }

    def __init__(self, *args, show_restricted: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("name")
        born = self.fields["date_of_birth"]
        born.direction = "today_or_past"
        # The service holds the same rule; here it shows with every other problem.
        born.younger_than = OLDEST_AGE + 1
        born.error_messages["too_old"] = (
            f"Harbour records are for children and young adults up to {OLDEST_AGE}: "
            "check the date of birth"
        )
        if not show_restricted:
            del self.fields["sexual_orientation"]
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and not field.max_length:
                field.max_length = MAX_TEXT
                field.widget.attrs["maxlength"] = MAX_TEXT

    def clean_nhs_number(self) -> str:
        return normalise_nhs_number(self.cleaned_data["nhs_number"])

    def clean_school_upn(self) -> str:
        return self.cleaned_data["school_upn"].strip().upper()

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]


class SearchForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Name or alias", required=False, max_length=100)
    date_of_birth = GovukDateField(label="Date of birth", required=False)
    identifier = forms.CharField(
        label="NHS number, police reference or school UPN", required=False, max_length=50
    )
    area = forms.ModelChoiceField(queryset=Area.objects.order_by("name"), required=False)

    def has_criteria(self) -> bool:
        return any(self.cleaned_data.get(k) for k in ("q", "date_of_birth", "identifier", "area"))


class CaseOpenForm(GovukFormMixin, forms.Form):
    exploitation_models = forms.MultipleChoiceField(
        choices=ExploitationModel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply, as far as is known now",
    )


class CaseCloseForm(GovukFormMixin, forms.Form):
    closed_on = GovukDateField(label="Date closed", direction="today_or_past")
    # The duplicate category is set by a record merge, never chosen here.
    category = forms.ChoiceField(
        choices=[
            (value, label)
            for value, label in ClosureCategory.choices
            if value != ClosureCategory.DUPLICATE
        ],
        label="Why the case is closing",
        widget=forms.RadioSelect,
        help_text="The reports count cases closed by this; the reason below stays on the record",
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=MAX_TEXT)


class RiskForm(GovukFormMixin, forms.Form):
    level = forms.ChoiceField(choices=RiskLevel.choices, label="Risk level")
    rationale = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        help_text="Why this level: the indicators, strengths and your professional judgement",
    )


class MemberForm(GovukFormMixin, forms.Form):
    user = PersonChoiceField(
        queryset=User.objects.none(), label="Person", help_text="Practitioners from any agency"
    )
    role = forms.CharField(max_length=100, label="Their role for this young person")

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["user"].queryset = people


class ShareForm(MemberForm):
    role = None
    shared = forms.TypedChoiceField(
        choices=[("yes", "Share the case"), ("no", "Do not share")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        label="Decision",
    )
    purpose = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT)
    lawful_basis = forms.ChoiceField(choices=LawfulBasis.choices)


class BreakGlassForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        help_text="The lead professional and information governance will read this",
        error_messages={
            "required": "Explain why you need this record now, in a sentence the lead "
            "professional will read"
        },
    )

    def clean_reason(self) -> str:
        # Checked here, before any case is looked up, so the answer is the same
        # whether or not the case exists.
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError(
                "Explain why you need this record now, in a sentence the lead professional "
                "will read"
            )
        return reason


class NoteForm(GovukFormMixin, forms.Form):
    note_type = forms.ChoiceField(choices=NoteType.choices, label="Type of note")
    occurred_at = forms.DateTimeField(
        label="When it happened",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    text = forms.CharField(
        label="Note",
        widget=forms.Textarea(attrs={"rows": 8}),
        # Longer text is refused by the service with a sentence about what to do.
        max_length=NOTE_MAX_CHARACTERS * 2,
    )
    young_persons_words = forms.CharField(
        label="The young person's own words",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What they said, as they said it",
        max_length=NOTE_MAX_CHARACTERS * 2,
    )
    visibility = forms.ChoiceField(
        choices=NoteVisibility.choices, widget=forms.RadioSelect, label="Who can read it"
    )
    named_viewers = PeopleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="People who may read it",
        help_text="Only if you chose named people. Those listed can see this case: the lead "
        "professional, the team around the child, their supervisors and the district's "
        "CSE leads",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Name only people who can see this case: add someone to the "
            "team around the child first to name them here",
        },
    )

    def __init__(self, *args, people=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["named_viewers"].queryset = people


class ChronologyFilterForm(HumanMessagesMixin, forms.Form):
    kind = forms.ChoiceField(required=False, label="Show", widget=QuickSelect)
    # The active agencies as (id, name) pairs, read by a statement kept
    # compiled (the record page's): the chosen one comes back as its id.
    agency = forms.TypedChoiceField(
        coerce=int, empty_value=None, required=False, label="Agency", widget=QuickSelect
    )

    def __init__(self, *args, kinds=(), agencies=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Everything"), *kinds]
        self.fields["agency"].choices = [("", "---------"), *agencies]
        self.fields["kind"].widget.attrs["class"] = "govuk-select"
        self.fields["agency"].widget.attrs["class"] = "govuk-select"
