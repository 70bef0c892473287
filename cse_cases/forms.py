"""Forms for sign-in and account pages, rendered with GOV.UK Frontend markup."""

from __future__ import annotations

import json

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.urls import reverse

from cse_cases.models import User


class GovukFormMixin:
    """Adds GOV.UK classes and error states to every widget.

    Templates render fields through ``govuk/field.html``; this puts the classes
    on the inputs themselves so a field that failed validation is marked up the
    way the error summary links expect (``id`` = the field's ``id_for_label``).
    """

    widget_classes = {
        "textarea": "govuk-textarea",
        "checkboxselectmultiple": "govuk-checkboxes__input",
        "radioselect": "govuk-radios__input",
        "select": "govuk-select",
        "checkbox": "govuk-checkboxes__input",
        "fileinput": "govuk-file-upload",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            kind = field.widget.__class__.__name__.lower()
            base = next(
                (css for key, css in self.widget_classes.items() if key in kind), "govuk-input"
            )
            extra = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"{base} {extra}".strip()
            if isinstance(field.widget, forms.Textarea):
                self._check_language(name, field)

    def _check_language(self, name: str, field: forms.Field) -> None:
        """Free text is checked for victim-blaming language as it is typed
        (htmx, advice only: it never blocks saving). The findings appear in
        the element govuk/field.html puts under the textarea."""
        html_name = self.add_prefix(name)
        field.widget.attrs.update(
            {
                "hx-post": reverse("language-check"),
                "hx-trigger": "input changed delay:1s, change",
                "hx-target": f"#{html_name}-language",
                "hx-swap": "innerHTML",
                "hx-vals": json.dumps({"field": html_name}),
                "hx-include": "this",
                "hx-sync": "this:replace",
            }
        )

    def add_record_error(self, error: Exception) -> None:
        """Show a service's RecordError against its field, or above the form
        when the field is not on this form."""
        field = getattr(error, "field", None)
        self.add_error(field if field in self.fields else None, str(error))

    def full_clean(self) -> None:
        super().full_clean()
        # Errors appear only after validation: mark the failing inputs now.
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                base = widget.attrs.get("class", "govuk-input").split()[0]
                if f"{base}--error" not in widget.attrs.get("class", ""):
                    widget.attrs["class"] += f" {base}--error"
                # Screen readers announce the error with the field.
                described = [f"{self[name].auto_id}-error"]
                if self.fields[name].help_text:
                    described.insert(0, f"{self[name].auto_id}_helptext")
                widget.attrs["aria-describedby"] = " ".join(described)


def person_label(person: User) -> str:
    """How every people picker names someone: "Name (Agency, Team)", so that
    two people of the same name, in different agencies or districts, are told
    apart. Reads the agency and team its queryset selected with the person."""
    where = ", ".join(
        part
        for part in (
            person.agency.name if person.agency_id else "",
            person.team.name if person.team_id else "",
        )
        if part
    )
    name = person.get_full_name() or person.username
    return f"{name} ({where})" if where else name


class PersonChoiceField(forms.ModelChoiceField):
    """One person, from a list the access policy gave (access.*_choices)."""

    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


class SignInForm(GovukFormMixin, forms.Form):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        ),
        error_messages={"required": "Enter your username"},
    )
    password = forms.CharField(
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )


class CodeForm(GovukFormMixin, forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6-digit code shown in your authenticator app",
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the 6-digit security code"},
    )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("The security code must be 6 digits, like 123456")
        return code


class HarbourPasswordChangeForm(GovukFormMixin, PasswordChangeForm):
    user: User
