"""Forms for sign-in and account pages, rendered with GOV.UK Frontend markup."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.forms.utils import flatatt, pretty_name
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from cse_cases.date_input import PARTS, GovukDateField, GovukDateInput
from cse_cases.models import User

# Django's own messages ("This field is required.", "Enter a valid value.")
# never reach a person: each is replaced by a sentence naming what to do,
# derived from the field's label and control unless the form wrote its own.
REPLACED_CODES = (
    "required",
    "invalid",
    "invalid_choice",
    "invalid_list",
    "invalid_pk_value",
    "missing",
    "empty",
    "max_length",
    "min_length",
    "max_value",
    "min_value",
    "max_digits",
    "max_decimal_places",
    "contradiction",
)
# Codes of the limit validators a field adds itself (max_length and so on).
LIMIT_CODES = ("max_length", "min_length", "max_value", "min_value")
# Labels that already read as the object of "Enter ..." ("Enter your name").
_OWN_ARTICLE = (
    "your ",
    "their ",
    "the ",
    "a ",
    "an ",
    "any ",
    "another ",
    "someone",
    "what",
    "when",
    "who",
    "why",
    "how",
    "where",
    "which",
    "whether",
)


def lower_first(label: str) -> str:
    """'Date of birth' -> 'date of birth'; 'NHS number' and 'CSV file' stay."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _the(label: str) -> str:
    """The label as the object of a sentence: 'Reason' -> 'the reason'."""
    text = lower_first(label.strip().rstrip(".:"))
    if text.startswith("or "):
        text = text[3:]
    if text.endswith(" (optional)"):
        text = text[: -len(" (optional)")]
    return text if text.startswith(_OWN_ARTICLE) else f"the {text}"


def _question(label: str) -> str | None:
    """'Do their parents know?' -> 'Say whether their parents know'."""
    words = label.strip().rstrip("?").split(" ", 1)
    if label.strip().endswith("?") and len(words) == 2 and words[0] in ("Do", "Does", "Did"):
        return f"Say whether {words[1]}"
    if label.strip().endswith("?"):
        return f"Answer the question: {label.strip()}"
    return None


def _defaults(field: forms.Field) -> dict[str, str]:
    """Django's default messages for this field's class, by code."""
    found: dict[str, str] = {}
    for klass in reversed(type(field).__mro__):
        found.update(getattr(klass, "default_error_messages", {}))
    return {code: str(message) for code, message in found.items()}


def derived_messages(field: forms.Field) -> dict[str, str]:
    """What each error says for a field whose form wrote none of its own."""
    label = str(field.label or "This")
    the = _the(label)
    name = label.strip().rstrip(".:")
    widget = field.widget
    if widget.is_hidden:
        again = "Part of the form was missing or changed: reload the page and try again"
        return dict.fromkeys(REPLACED_CODES, again)
    messages: dict[str, str] = {}
    if isinstance(field, GovukDateField):
        messages["required"] = f"Enter {the}"
    elif isinstance(widget, forms.CheckboxSelectMultiple):
        messages["required"] = f"Select at least one of {the}"
    elif isinstance(field, forms.BooleanField):
        messages["required"] = f"Tick the box to confirm: {lower_first(name)}"
    elif isinstance(field, forms.FileField):
        messages["required"] = f"Select {the}"
        messages["missing"] = messages["invalid"] = f"Select {the}"
        messages["empty"] = "The selected file is empty: choose another file"
        messages["contradiction"] = "Either select a file or tick to clear it, not both"
    elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        messages["required"] = _question(label) or f"Select {the}"
    else:
        messages["required"] = _question(label) or f"Enter {the}"
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
        choose = f"Choose {the} from the list"
        if isinstance(widget, forms.CheckboxSelectMultiple):
            choose = "Choose from the options given"
        elif isinstance(widget, forms.RadioSelect) or label.strip().endswith("?"):
            # Radios are not a list, and a question's label is no noun.
            choose = "Choose one of the answers given"
        messages["invalid_choice"] = messages["invalid_list"] = choose
        messages["invalid_pk_value"] = choose
        if not isinstance(field, forms.ModelMultipleChoiceField):
            messages["invalid"] = choose
    elif isinstance(field, forms.EmailField):
        messages["invalid"] = "Enter an email address in the correct format, like name@example.org"
    elif isinstance(field, forms.IntegerField):
        messages["invalid"] = f"{name} must be a whole number"
    elif isinstance(field, forms.DecimalField | forms.FloatField):
        messages["invalid"] = f"{name} must be a number"
    elif isinstance(field, forms.DateTimeField):
        messages["invalid"] = f"Enter {the} as a real date and time"
    elif isinstance(field, forms.TimeField):
        messages["invalid"] = f"Enter {the} as a time, like 14:30"
    elif isinstance(field, forms.DateField):
        messages["invalid"] = f"{name} must be a real date"
    elif isinstance(field, forms.URLField):
        messages["invalid"] = "Enter a web address in the correct format, like https://example.org"
    limit = getattr(field, "max_length", None)
    if limit:
        messages["max_length"] = f"{name} must be {limit:,} characters or fewer"
    if getattr(field, "min_length", None):
        messages["min_length"] = f"{name} must be {field.min_length:,} characters or more"
    if getattr(field, "max_value", None) is not None:
        messages["max_value"] = f"{name} must be {field.max_value} or less"
    if getattr(field, "min_value", None) is not None:
        messages["min_value"] = f"{name} must be {field.min_value} or more"
    return messages


def error_target(bound: forms.BoundField) -> str:
    """The id the error summary links to: the control itself, the first option
    of radios and checkboxes, the first part in error of a date (as GOV.UK
    Frontend does)."""
    widget = bound.field.widget
    base = widget.attrs.get("id") or bound.auto_id
    if isinstance(widget, GovukDateInput):
        part = next((p for p in PARTS if p in widget.error_parts), PARTS[0])
        return f"{base}_{part}"
    if isinstance(widget, forms.RadioSelect):
        # RadioSelect and CheckboxSelectMultiple: their options carry the ids.
        # The bound field keeps its options, so the field drawn below reuses
        # them: no second query for a list of people.
        options = bound.subwidgets
        return options[0].id_for_label if options else f"{bound.auto_id}-error"
    return bound.id_for_label or base


class HumanMessagesMixin:
    """Every error names what to do: Django's defaults are replaced by
    sentences built from each field's label and control (see
    derived_messages), unless the form wrote its own. For forms rendered
    outside GOV.UK markup too (the admin's account form, the chronology
    filter); GovukFormMixin includes it.
    """

    fields: dict[str, forms.Field]

    def govuk_messages(self) -> None:
        """Replace each Django default message with one that says what to do.
        Run at validation, so fields a form adds after __init__ are covered."""
        for name, field in self.fields.items():
            if field.label is None:
                field.label = pretty_name(name)
            defaults = _defaults(field)
            for code, message in derived_messages(field).items():
                current = field.error_messages.get(code)
                # A code the field never raises is left alone: a validator's
                # own "invalid" (the NHS number check) keeps its sentence.
                own = code in defaults or code in LIMIT_CODES
                own = own or isinstance(field, forms.EmailField)
                if own and (current is None or str(current) == defaults.get(code)):
                    field.error_messages[code] = message

    def full_clean(self) -> None:
        self.govuk_messages()
        super().full_clean()  # type: ignore[misc]


class GovukFormMixin(HumanMessagesMixin):
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
            if field.label is None:
                field.label = pretty_name(name)
            if isinstance(field, GovukDateField):
                # A draft keeps the three boxes as typed: offer them back
                # (laid over the record's own date, as the rest of a draft is).
                parts = [self.initial.get(f"{name}_{part}") for part in PARTS]
                if any(parts):
                    self.initial[name] = parts
            kind = field.widget.__class__.__name__.lower()
            base = next(
                (css for key, css in self.widget_classes.items() if key in kind), "govuk-input"
            )
            extra = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = f"{base} {extra}".strip()
            if isinstance(field.widget, forms.Textarea) and name not in self.own_words_fields:
                self._check_language(name, field)

    # A young person's own words are recorded as they said them, in their
    # voice: the guidance asks for them verbatim, so they are never checked.
    own_words_fields: frozenset[str] = frozenset({"young_persons_words"})

    def _check_language(self, name: str, field: forms.Field) -> None:
        """Free text is checked for victim-blaming language as it is typed
        (htmx, advice only: it never blocks saving). The findings appear in
        the element govuk/field.html puts under the textarea."""
        html_name = self.add_prefix(name)
        field.language_checked = True  # type: ignore[attr-defined]  # govuk/field.html
        field.widget.attrs.update(
            {
                "hx-post": reverse("language-check"),
                "hx-trigger": "input changed delay:1s, change",
                "hx-target": f"#{html_name}-language",
                "hx-swap": "innerHTML",
                "hx-vals": json.dumps({"field": html_name, "language_form": type(self).__name__}),
                "hx-include": "this",
                # Queued, not replaced: an aborted request is a console error.
                "hx-sync": "this:queue last",
            }
        )

    def _check_language_again(self) -> None:
        """A form shown again after a validation error checks its text at once
        (htmx "load"), so the findings are there before anyone types, and the
        phrases kept before saving stay kept."""
        for name, field in self.fields.items():
            if not isinstance(field.widget, forms.Textarea) or "hx-post" not in field.widget.attrs:
                continue
            html_name = self.add_prefix(name)
            if not str(self.data.get(html_name, "")).strip():
                continue
            field.widget.attrs["hx-trigger"] = "load, input changed delay:1s, change"
            kept = (
                self.data.getlist(f"{html_name}-language-kept")
                if hasattr(self.data, "getlist")
                else []
            )
            if kept:
                vals = json.loads(field.widget.attrs["hx-vals"])
                vals[f"{html_name}-language-kept-before"] = kept[:50]
                field.widget.attrs["hx-vals"] = json.dumps(vals)

    def add_record_error(self, error: Exception) -> None:
        """Show a service's RecordError against its field, or above the form
        when the field is not on this form."""
        field = getattr(error, "field", None)
        self.add_error(field if field in self.fields else None, str(error))
        if self.is_bound:
            self._check_language_again()

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self._errors:
            self._check_language_again()
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


class _LiteralChoiceErrors:
    """Forms write their "choose from the list" message with the record's own
    names in it (a child's known-as name, a district), and those may hold a
    "%". Django fills its placeholders into that message, so a "%" in a name
    would turn a refusal into a server error: the message is raised as it is."""

    def clean(self, value):  # type: ignore[no-untyped-def]
        try:
            return super().clean(value)  # type: ignore[misc]
        except forms.ValidationError as error:
            if getattr(error, "code", None) in {"invalid_choice", "invalid_pk_value"}:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],  # type: ignore[attr-defined]
                    code="invalid_choice",
                ) from None
            raise


class PersonChoiceField(_LiteralChoiceErrors, forms.ModelChoiceField):
    """One person, from a list the access policy gave (access.*_choices)."""

    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


class PeopleChoiceField(_LiteralChoiceErrors, forms.ModelMultipleChoiceField):
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


class QuickSelect(forms.Select):
    """A select drawn in Python, the same markup as Django's template for it.

    Django draws a select through two templates per option; on the record
    page's chronology filter (thirty agencies) that was a tenth of the page's
    time, for markup that never changes shape."""

    def render(self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None) -> str:
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            drawn = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], flatatt(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, drawn)
                if group_name
                else drawn
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((group,) for group in groups)),
        )
