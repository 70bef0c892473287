"""Forms for the API token pages."""

from __future__ import annotations

from django import forms
from django.conf import settings

from cse_cases.forms import GovukFormMixin
from cse_cases.models import Agency, User
from cse_cases.models.tokens import NAME_MAX_LENGTH


def _days_field() -> forms.IntegerField:
    most = settings.API_TOKEN_DAYS
    return forms.IntegerField(
        label="Days until it expires",
        help_text=f"From 1 to {most}. It stops working after this, and you make a new one.",
        initial=most,
        min_value=1,
        max_value=most,
        error_messages={
            "required": f"Enter how many days the token lasts, from 1 to {most}.",
            "invalid": f"Enter a whole number of days, from 1 to {most}.",
            "min_value": f"A token lasts at least 1 day and at most {most}.",
            "max_value": f"A token lasts at most {most} days.",
        },
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )


class TokenForm(GovukFormMixin, forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=NAME_MAX_LENGTH,
        help_text="Where the token is used, so you can tell tokens apart later.",
        error_messages={
            "required": "Give the token a name that says where it is used.",
            "max_length": f"The name must be {NAME_MAX_LENGTH} characters or fewer.",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        # Built per form, so the limit follows API_TOKEN_DAYS as it is now.
        self.base_fields = {**self.base_fields, "days": _days_field()}
        super().__init__(*args, **kwargs)


class ServiceTokenForm(TokenForm):
    account = forms.ModelChoiceField(
        label="Service account",
        queryset=User.objects.none(),
        error_messages={"required": "Choose the service account the token is for."},
    )

    def __init__(self, *args, accounts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.order_fields(["account", "name", "days"])


class ServiceAccountForm(GovukFormMixin, forms.Form):
    system_name = forms.CharField(
        label="Partner system",
        max_length=150,
        help_text="For example 'Police case system'.",
        error_messages={"required": "Name the partner system."},
    )
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Give the account a username."},
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label="Email of the person responsible for the system",
        error_messages={
            "required": "Give the email address of the person responsible for the system.",
            "invalid": "Enter an email address like name@example.gov.uk.",
        },
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.filter(is_active=True),
        error_messages={"required": "Choose the agency that runs the system."},
    )
