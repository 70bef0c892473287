"""Forms for referrals, in GOV.UK markup. Validation a person can fix on the
page lives here; rules about the referral's state live in services.py."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings

from cse_cases.date_input import GovukDateField
from cse_cases.forms import GovukFormMixin, PersonChoiceField
from cse_cases.models import Area, Gender, RiskLevel, Team, User
from referrals.models import (
    Consent,
    Decision,
    Indicator,
    ParentsAware,
    ReferralStatus,
    SharingBasis,
    Urgency,
)
from referrals.services import REFERRAL_FIELDS, REFERRAL_MAX_AGE

LONG_TEXT = 20_000
TEXT = 5_000


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


def _textarea(rows: int = 5, limit: int = TEXT) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, "maxlength": limit})


class ReferralForm(GovukFormMixin, forms.Form):
    """Intake: who refers, who the young person is, the concern and the basis for sharing."""

    idempotency_key = forms.UUIDField(widget=forms.HiddenInput)

    referrer_name = forms.CharField(
        label="Your name", max_length=200, error_messages={"required": "Enter your name"}
    )
    referrer_role = forms.CharField(label="Your role", max_length=200, required=False)
    referrer_agency_name = forms.CharField(
        label="Your agency or organisation",
        max_length=200,
        error_messages={"required": "Enter your agency or organisation"},
    )
    referrer_email = forms.EmailField(
        label="Email for feedback",
        required=False,
        help_text="The decision and feedback are sent here",
        error_messages={"invalid": "Enter an email address like name@example.org"},
    )
    referrer_phone = forms.CharField(label="Phone", max_length=40, required=False)

    identity = forms.ChoiceField(
        label="Do you know who the young person is?",
        choices=[("known", "Yes"), ("unknown", "No, their identity is not yet known")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you know who the young person is"},
    )
    legal_first_name = forms.CharField(label="First name", max_length=100, required=False)
    legal_last_name = forms.CharField(label="Last name", max_length=100, required=False)
    known_as = forms.CharField(label="Known as", max_length=100, required=False)
    date_of_birth = GovukDateField(
        label="Date of birth",
        required=False,
        direction="today_or_past",
        younger_than=REFERRAL_MAX_AGE,
        error_messages={
            "too_old": "This young person is %(age)s. CSE referrals are for children under "
            "%(limit)s: for an adult at risk, contact adult safeguarding"
        },
    )
    date_of_birth_estimated = forms.BooleanField(
        label="The date of birth is an estimate", required=False
    )
    gender = forms.ChoiceField(choices=Gender.choices, initial=Gender.NOT_KNOWN)
    address = forms.CharField(required=False, widget=_textarea(3, 1000))
    postcode = forms.CharField(max_length=10, required=False)
    school = forms.CharField(label="School or college", max_length=200, required=False)
    subject_description = forms.CharField(
        label="Describe the young person",
        required=False,
        help_text="What you know: a first name or nickname, age, appearance, where they were seen",
        widget=_textarea(4),
        max_length=TEXT,
    )
    area = forms.ModelChoiceField(
        label="Area where the young person lives",
        queryset=Area.objects.none(),
        help_text="If you do not know, where they were seen. The referral goes to this area",
        error_messages={"required": "Choose the area where the young person lives"},
    )

    concerns = forms.CharField(
        label="What are you worried about?",
        help_text="What happened, when, who was involved, and what you have done so far",
        widget=_textarea(8, LONG_TEXT),
        max_length=LONG_TEXT,
        error_messages={"required": "Describe your concerns about the young person"},
    )
    indicators = forms.MultipleChoiceField(
        label="Signs you have seen",
        choices=Indicator.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    young_persons_words = forms.CharField(
        label="What the young person said, in their own words",
        required=False,
        widget=_textarea(4),
        max_length=TEXT,
    )
    parents_aware = forms.ChoiceField(
        label="Do their parents or carers know about this referral?",
        choices=ParentsAware.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether their parents or carers know"},
    )
    parents_aware_detail = forms.CharField(
        label="About the parents or carers",
        required=False,
        help_text="For example, why they have not been told",
        widget=_textarea(3),
        max_length=TEXT,
    )
    consent = forms.ChoiceField(
        label="Consent to share this information",
        choices=Consent.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether consent to share was given"},
    )
    consent_not_sought_reason = forms.CharField(
        label="Why consent was not sought", required=False, widget=_textarea(3), max_length=TEXT
    )
    sharing_basis = forms.ChoiceField(
        label="Lawful basis for sharing without consent",
        choices=[("", "Choose a basis"), *SharingBasis.choices],
        required=False,
    )
    urgency = forms.ChoiceField(
        choices=Urgency.choices,
        initial=Urgency.ROUTINE,
        widget=forms.RadioSelect,
        help_text="If the young person is in immediate danger, call 999 first",
    )
    referrer_risk = forms.ChoiceField(
        label="Risk as you see it",
        choices=[("", "Not sure")] + [c for c in RiskLevel.choices if c[0] != "not_assessed"],
        required=False,
    )
    attachments = MultipleFileField(
        label="Files (optional)",
        required=False,
        help_text="PDF, photos (JPG, PNG, HEIC) or documents (Word, ODT, RTF), up to "
        f"{settings.REFERRAL_ATTACHMENT_MAX_BYTES // 1_048_576} MB each",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.order_by("name")
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def clean(self) -> dict:
        data = super().clean()
        if data.get("identity") == "known":
            for name, message in (
                ("legal_first_name", "Enter the young person's first name"),
                (
                    "legal_last_name",
                    "Enter the young person's last name, or say their identity is not yet known",
                ),
            ):
                if not data.get(name, "").strip():
                    self.add_error(name, message)
            if not data.get("date_of_birth") and "date_of_birth" not in self.errors:
                self.add_error(
                    "date_of_birth",
                    "Enter their date of birth (an estimate is fine: tick the box below)",
                )
        elif data.get("identity") == "unknown" and not data.get("subject_description", "").strip():
            self.add_error(
                "subject_description",
                "Describe the young person: a first name or nickname, age, or where they were seen",
            )
        # The service checks these too; here every problem shows at once.
        consent = data.get("consent")
        if consent == Consent.NOT_SOUGHT and not data.get("consent_not_sought_reason", "").strip():
            self.add_error(
                "consent_not_sought_reason",
                "Say why consent was not sought (for example, asking would put the young "
                "person at greater risk)",
            )
        if consent in (Consent.NOT_SOUGHT, Consent.REFUSED) and not data.get("sharing_basis"):
            self.add_error(
                "sharing_basis",
                "Choose the lawful basis for sharing this information without consent",
            )
        return data

    def young_person_data(self) -> dict:
        data = self.cleaned_data
        return {
            "legal_first_name": data["legal_first_name"].strip(),
            "legal_last_name": data["legal_last_name"].strip(),
            "known_as": data["known_as"].strip(),
            "date_of_birth": data["date_of_birth"],
            "date_of_birth_estimated": data["date_of_birth_estimated"],
            "gender": data["gender"],
            "address": data["address"],
            "postcode": data["postcode"],
            "school": data["school"],
            "area": data["area"],
        }

    def referral_data(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in REFERRAL_FIELDS if name in data}


class QueueFilterForm(GovukFormMixin, forms.Form):
    SORTS = [
        ("due", "Time left, least first"),
        ("oldest", "Oldest first"),
        ("newest", "Newest first"),
        ("urgency", "Most urgent first"),
        ("risk", "Highest risk first"),
    ]
    sort = forms.ChoiceField(choices=SORTS, required=False, label="Sort by")
    urgency = forms.ChoiceField(
        choices=[("", "Any"), *Urgency.choices], required=False, label="Urgency"
    )
    risk = forms.ChoiceField(choices=[("", "Any"), *RiskLevel.choices], required=False)
    status = forms.ChoiceField(
        choices=[
            ("", "Any"),
            (ReferralStatus.RECEIVED, "Not yet screened"),
            (ReferralStatus.SCREENING, "Screening"),
        ],
        required=False,
    )
    assigned = forms.ChoiceField(
        choices=[("", "Anyone"), ("me", "Assigned to me"), ("nobody", "Not assigned")],
        required=False,
        label="Assigned",
    )
    overdue = forms.BooleanField(required=False, label="Overdue only")


class AssignForm(GovukFormMixin, forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    worker = PersonChoiceField(queryset=User.objects.none(), required=False)

    def __init__(self, *args, teams, workers, **kwargs) -> None:
        """`workers`: access.people_working_in(the referral's district)."""
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["worker"].queryset = workers
        self.fields["worker"].error_messages["invalid_choice"] = (
            "Choose a worker from the list: a practitioner, supervisor or CSE lead who works "
            "in the referral's district"
        )


class ScreeningForm(GovukFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    risk_level = forms.ChoiceField(
        label="Screened risk", choices=[("", "Not yet judged"), *RiskLevel.choices], required=False
    )
    screening_notes = forms.CharField(
        label="Screening notes",
        required=False,
        widget=_textarea(6, LONG_TEXT),
        max_length=LONG_TEXT,
        help_text="Checks made with other agencies and what they said",
    )


class IdentifyForm(GovukFormMixin, forms.Form):
    young_person = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": "Choose a young person", "invalid": "Choose a young person"},
    )


class TransferForm(GovukFormMixin, forms.Form):
    area = forms.ModelChoiceField(
        label="Move to the queue of",
        queryset=Area.objects.order_by("name"),
        error_messages={
            "required": "Choose the area whose queue the referral moves to",
            "invalid_choice": "Choose the area whose queue the referral moves to",
        },
    )
    reason = forms.CharField(
        widget=_textarea(3), max_length=TEXT, error_messages={"required": "Say why it is moving"}
    )


class LeadProfessionalField(PersonChoiceField):
    """Each person with their agency and team, so two people of the same name
    are told apart; those of the referrer's agency are marked."""

    referrer_agency_id: int | None = None

    def label_from_instance(self, obj: User) -> str:
        where = ", ".join(
            part for part in (obj.agency and obj.agency.name, obj.team and obj.team.name) if part
        )
        label = f"{obj.get_full_name() or obj.username} ({where}, {obj.display_role})"
        if self.referrer_agency_id and obj.agency_id == self.referrer_agency_id:
            label += ": the referrer's agency"
        return label


class DecisionForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a decision"},
    )
    rationale = forms.CharField(
        label="Reasons for the decision",
        widget=_textarea(6, LONG_TEXT),
        max_length=LONG_TEXT,
        error_messages={"required": "Explain the reasons for this decision"},
    )
    advice = forms.CharField(
        label="Advice given (for no further action)",
        required=False,
        widget=_textarea(3),
        max_length=TEXT,
    )
    referred_on_to = forms.CharField(
        label="Service referred to (for refer elsewhere)", max_length=200, required=False
    )
    lead_professional = LeadProfessionalField(
        label="Lead professional (for a new case)",
        queryset=User.objects.none(),
        required=False,
        empty_label="Choose the lead professional",
    )
    feedback = forms.CharField(
        label="Feedback to the referrer",
        widget=_textarea(5),
        max_length=TEXT,
        help_text="Emailed to the referrer: say what happens next. Leave out the young "
        "person's full name and address",
        error_messages={"required": "Write the feedback the referrer will receive"},
    )

    def __init__(
        self, *args, workers, referral, referrer_agency, needs_lead: bool, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.needs_lead = needs_lead
        field = self.fields["lead_professional"]
        field.queryset = workers
        field.referrer_agency_id = referrer_agency.pk if referrer_agency else None
        field.error_messages["invalid_choice"] = (
            "Choose a lead professional from the list: a practitioner, supervisor or CSE "
            f"lead who works in {referral.area.name}"
        )
        hint = (
            f"The young person has no open case: a CSE assessment opens one, led by the "
            f"person you choose from {referral.area.name}."
        )
        if referrer_agency is not None:
            hint += f" People from the referrer's agency, {referrer_agency}, come first."
        field.help_text = hint

    def clean(self) -> dict:
        data = super().clean()
        if (
            self.needs_lead
            and data.get("decision") == Decision.CSE_ASSESSMENT
            and not data.get("lead_professional")
            and "lead_professional" not in self.errors
        ):
            self.add_error(
                "lead_professional", "Choose the lead professional for the young person's new case"
            )
        return data


class ReasonForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(widget=_textarea(3), max_length=TEXT, required=False, label="Reason")
