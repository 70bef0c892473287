"""The network map's filters: one form for the page (a GET form) and the API
(its errors become the 400 answer), so both refuse the same input alike."""

from __future__ import annotations

from django import forms

from cse_cases.forms import GovukFormMixin
from cse_cases.models import LinkKind, RiskLevel
from reports.network.selectors import Filters

# A node's key: yp-12, person-4, location-7 (selectors.py makes them).
NODE_KEY = r"^(yp|person|location)-[0-9]{1,18}$"
MAX_DAYS = 3650


class NetworkFilterForm(GovukFormMixin, forms.Form):
    days = forms.IntegerField(
        label="Links seen in the last",
        help_text="Number of days, for example 90",
        required=False,
        min_value=1,
        max_value=MAX_DAYS,
        error_messages={
            "invalid": "Enter the number of days as a whole number, like 90",
            "min_value": "The number of days must be 1 or more",
            "max_value": f"The number of days must be {MAX_DAYS} or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="Type of link",
        required=False,
        choices=[("", "Any type"), *LinkKind.choices],
        error_messages={"invalid_choice": "Choose a type of link from the list"},
    )
    risk = forms.ChoiceField(
        label="Risk level of the young person",
        required=False,
        choices=[("", "Any risk level"), *RiskLevel.choices],
        error_messages={"invalid_choice": "Choose a risk level from the list"},
    )
    cluster = forms.RegexField(
        label="Group",
        required=False,
        regex=NODE_KEY,
        max_length=40,
        error_messages={"invalid": "A group is named like yp-12, person-4 or location-7"},
    )
    focus = forms.RegexField(
        label="Focus on",
        required=False,
        regex=NODE_KEY,
        max_length=40,
        error_messages={"invalid": "A node is named like yp-12, person-4 or location-7"},
    )
    q = forms.CharField(
        label="Search for a name or place",
        required=False,
        max_length=100,
        error_messages={"max_length": "Search for 100 characters or fewer"},
    )

    def filters(self) -> Filters:
        """The valid filters (call after is_valid())."""
        data = self.cleaned_data
        return Filters(
            days=data["days"],
            kind=data["kind"],
            risk=data["risk"],
            cluster=data["cluster"],
            focus=data["focus"],
            search=data["q"],
        )
