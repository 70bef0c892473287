"""Forms for persons of concern, locations, links and disruption."""

from __future__ import annotations

from django import forms

from cse_cases.date_input import GovukDateField
from cse_cases.forms import GovukFormMixin
from cse_cases.models import (
    Area,
    DisruptionKind,
    InformationGrading,
    LawfulBasis,
    Location,
    LocationKind,
    PersonOfConcern,
    SourceGrading,
    YoungPerson,
)
from cse_cases.record_forms import MAX_TEXT


def lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class PersonOfConcernForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        max_length=200,
        help_text="Their name, or the name they are known by",
        error_messages={"required": "Enter a name, or the name they are known by"},
    )
    nicknames = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="One per line"
    )
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT
    )
    phone_numbers = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="One per line"
    )
    vehicles = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Registration and description, one per line",
    )
    area = forms.ModelChoiceField(
        queryset=Area.objects.order_by("name"),
        label="District",
        help_text="Where they were recorded: its police and CSE leads see this person",
        error_messages={
            "required": "Choose the district where this person is of concern",
            "invalid_choice": "Choose a district from the list",
        },
    )
    restricted = forms.BooleanField(
        required=False,
        initial=True,
        label="Restricted to police and CSE leads",
        help_text="Untick only if the team around each linked child should see this person",
    )

    def clean_nicknames(self) -> list[str]:
        return lines(self.cleaned_data["nicknames"])

    def clean_phone_numbers(self) -> list[str]:
        return lines(self.cleaned_data["phone_numbers"])

    def clean_vehicles(self) -> list[str]:
        return lines(self.cleaned_data["vehicles"])


class PersonOfConcernShareForm(GovukFormMixin, forms.Form):
    """An information-sharing decision about a person of concern, with the same
    lawful bases as sharing a case."""

    area = forms.ModelChoiceField(
        queryset=Area.objects.order_by("name"),
        label="District to share with",
        help_text="Its police officers and CSE leads will see this person",
        error_messages={
            "required": "Choose the district to share this person with",
            "invalid_choice": "Choose a district from the list",
        },
    )
    purpose = forms.CharField(
        label="Why you are sharing",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        help_text="The safeguarding purpose: the district's police and CSE leads will read this",
        error_messages={"required": "Say why you are sharing this person with that district"},
    )
    lawful_basis = forms.ChoiceField(
        choices=LawfulBasis.choices,
        error_messages={
            "required": "Choose the lawful basis for sharing",
            "invalid_choice": "Choose the lawful basis for sharing",
        },
    )


class LocationForm(GovukFormMixin, forms.Form):
    name = forms.CharField(max_length=200, error_messages={"required": "Name the place"})
    kind = forms.ChoiceField(choices=LocationKind.choices, label="Kind of place")
    address = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Or the app, platform or group, for an online space",
    )
    area = forms.ModelChoiceField(queryset=Area.objects.order_by("name"))


class LinkForm(GovukFormMixin, forms.Form):
    person = forms.ModelChoiceField(
        queryset=PersonOfConcern.objects.none(), required=False, label="Person of concern"
    )
    other_young_person = forms.ModelChoiceField(
        queryset=YoungPerson.objects.none(), required=False, label="Another young person"
    )
    location = forms.ModelChoiceField(queryset=Location.objects.none(), required=False)
    source = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_TEXT,
        help_text="Where this came from: who said it, what was seen, which report",
    )
    source_grading = forms.ChoiceField(choices=SourceGrading.choices)
    information_grading = forms.ChoiceField(choices=InformationGrading.choices)
    first_seen = GovukDateField(label="First seen", required=False)
    last_seen = GovukDateField(label="Last seen", required=False)
    restricted = forms.BooleanField(
        required=False, initial=True, label="Restricted to police and CSE leads"
    )

    def __init__(self, *args, people=None, young_people=None, locations=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["other_young_person"].queryset = young_people
        self.fields["location"].queryset = locations

    def clean(self) -> dict:
        data = super().clean()
        chosen = [f for f in ("person", "other_young_person", "location") if data.get(f)]
        if len(chosen) != 1:
            raise forms.ValidationError(
                "Choose one thing to link to: a person of concern, another young person or a place"
            )
        return data


class DisruptionForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(choices=DisruptionKind.choices, label="Disruption")
    started_on = GovukDateField(label="Date", message_name="The date of the disruption")
    ended_on = GovukDateField(
        label="Ended (if it has)", required=False, message_name="The date it ended"
    )
    outcome = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT
    )
