"""Forms for caseloads: a worker's capacity, a case's load factors, moving a
case, and a new version of the weighting scheme."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from cse_cases.date_input import GovukDateField
from cse_cases.forms import GovukFormMixin, PersonChoiceField
from cse_cases.models import User
from supervision.models import FACTOR_POINT_FIELDS, RISK_POINT_FIELDS, WeightingScheme


class CapacityForm(GovukFormMixin, forms.Form):
    weekly_hours = forms.DecimalField(
        label="Hours worked a week",
        min_value=Decimal("0.5"),
        max_value=Decimal(48),
        decimal_places=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
    )
    capacity_points = forms.DecimalField(
        label="Capacity (points a full-time worker in this role carries)",
        help_text=(
            "Agreed between the worker and their supervisor. It is scaled by the hours worked."
        ),
        min_value=Decimal("0.5"),
        max_value=Decimal(999),
        decimal_places=2,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}),
    )
    practice_started_on = GovukDateField(
        label="When they started practice (optional)",
        required=False,
        direction="today_or_past",
        help_text="For a newly qualified worker: supervision is more frequent in the first year.",
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class LoadFactorsForm(GovukFormMixin, forms.Form):
    criminal_proceedings = forms.BooleanField(
        label="Criminal proceedings are under way", required=False
    )
    sibling_group = forms.BooleanField(
        label="The young person is part of a sibling group being worked with", required=False
    )
    travel_minutes = forms.IntegerField(
        label="Travel to see the young person, in minutes each way (optional)",
        required=False,
        min_value=0,
        max_value=600,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
    )


class AllocationForm(GovukFormMixin, forms.Form):
    to_user = PersonChoiceField(
        label="New lead professional",
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the new lead professional.",
            "invalid_choice": (
                "Choose someone from the list: only people whose caseload you manage."
            ),
        },
    )
    reason = forms.CharField(
        label="Why the case is moving",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give the reason for the move."},
    )
    add_to_team = forms.BooleanField(
        label="Add them to the team around the child (this gives them the record)",
        required=False,
    )

    def __init__(self, *args, candidates=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The people the access package says this reader may choose (none if not given).
        self.fields["to_user"].queryset = (
            candidates if candidates is not None else User.objects.none()
        )


class SchemeForm(GovukFormMixin, forms.ModelForm):
    class Meta:
        model = WeightingScheme
        fields = [
            *RISK_POINT_FIELDS,
            *FACTOR_POINT_FIELDS,
            "many_agencies_at",
            "recent_missing_days",
            "travel_minutes_at",
            "member_weight",
            "rationale",
        ]
        widgets = (
            {
                name: forms.TextInput(
                    attrs={"class": "govuk-input--width-4", "inputmode": "decimal"}
                )
                for name in (*RISK_POINT_FIELDS, *FACTOR_POINT_FIELDS, "member_weight")
            }
            | {
                name: forms.TextInput(
                    attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}
                )
                for name in ("many_agencies_at", "recent_missing_days", "travel_minutes_at")
            }
            | {"rationale": forms.Textarea(attrs={"rows": 3})}
        )
