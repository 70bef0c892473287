"""The GOV.UK date input: day, month and year as three boxes in a fieldset.

One field and one widget for every date a person types (dates of birth,
incident dates, due and review dates). The messages are GOV.UK's ("Date of
birth must include a month", "... must be a real date", "... must be in the
past"), naming the date by its label. What was typed is kept on error: the
three parts are rendered back as they came, even when they are not a date.

The API is not affected: serializers keep ISO dates. A single ISO value under
the field's own name (``date_of_birth=2012-03-04``) is still accepted, so a
draft saved before this input existed, or a client posting ISO, still works.

Why not a library: crispy-forms-gds has a date field, but it renders through
django-crispy-forms layouts, a second rendering layer beside govuk/field.html
for one widget; the other GOV.UK packages for Django are young or render
whole pages their own way. The pattern is one MultiWidget and one Field.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any, Literal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

PARTS = ("day", "month", "year")
Direction = Literal["past", "today_or_past", "future", "today_or_future"]


class GovukDateInput(forms.MultiWidget):
    """Three text boxes named ``<name>_day``, ``<name>_month``, ``<name>_year``
    with ids ``<id>_day`` and so on (the error summary links to the first
    part in error, as GOV.UK Frontend does)."""

    # In cse_cases/templates/: widgets render through Django's form
    # renderer, which reads app template folders, not the project's.
    template_name = "govuk/date_input.html"
    # The parts the last validation found wrong; set by GovukDateField.
    error_parts: tuple[str, ...] = ()

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        numeric = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__(
            {part: forms.TextInput(attrs=dict(numeric)) for part in PARTS}, attrs=attrs
        )

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value:
            parsed = _parse_iso(value)
            if parsed:
                return [parsed.day, parsed.month, parsed.year]
        return [None, None, None]

    def format_value(self, value: Any) -> Any:
        return value

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> list[str]:
        parts = [str(data.get(f"{name}_{part}", "") or "") for part in PARTS]
        if not any(parts) and data.get(name):
            # An ISO date posted under the plain name (an older draft or client).
            single = data.get(name)
            if isinstance(single, (list, tuple)):
                single = single[0] if single else ""
            typed = str(single).strip()
            iso = re.fullmatch(r"(\d{1,4})-(\d{1,2})-(\d{1,2})", typed)
            if iso:
                year, month, day = iso.groups()
                return [day, month, year]
            # Not a date at all: "must be a real date", with the text kept.
            return [typed, typed, typed]
        return parts

    def value_omitted_from_data(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        return name not in data and all(f"{name}_{part}" not in data for part in PARTS)

    def id_for_label(self, id_: str) -> str:
        return f"{id_}_day" if id_ else ""

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        base_id = context["widget"]["attrs"].get("id", "")
        error = "govuk-input--error" in context["widget"]["attrs"].get("class", "")
        wrong = set(self.error_parts) if error else set()
        if error and not wrong:
            wrong = set(PARTS)
        for part, sub in zip(PARTS, context["widget"]["subwidgets"], strict=True):
            width = "govuk-input--width-4" if part == "year" else "govuk-input--width-2"
            css = f"govuk-input govuk-date-input__input {width}"
            if part in wrong:
                css += " govuk-input--error"
            sub["attrs"]["class"] = css
            sub["attrs"].pop("aria-describedby", None)
            if base_id:
                sub["attrs"]["id"] = f"{base_id}_{part}"
            sub["part"] = part
            sub["part_label"] = part.capitalize()
        context["widget"]["fieldset_describedby"] = context["widget"]["attrs"].get(
            "aria-describedby", ""
        )
        return context


def _parse_iso(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


class GovukDateField(forms.Field):
    """A date typed as day, month and year, checked the GOV.UK way.

    ``direction`` adds GOV.UK's "must be in the past" family of checks:
    ``past`` (before today), ``today_or_past``, ``future`` (after today),
    ``today_or_future``. ``younger_than`` is an age rule for a date of birth
    (a referral is about someone under 18): its message is the form's
    ``too_old`` one, given ``age`` and ``limit``.
    """

    widget = GovukDateInput

    def __init__(
        self,
        *,
        direction: Direction | None = None,
        earliest_year: int = 1900,
        message_name: str = "",
        younger_than: int | None = None,
        **kwargs: Any,
    ) -> None:
        # A model field passes its own form-field options; the date input has
        # no use for the ISO-text ones.
        for unused in ("input_formats", "localize", "max_length", "empty_value"):
            kwargs.pop(unused, None)
        super().__init__(**kwargs)
        self.direction = direction
        self.earliest_year = earliest_year
        self.younger_than = younger_than
        # What the messages call the date when its label is not a name for it
        # ("From" on a filter is "The start date" in "... must be a real date").
        self.message_name = message_name
        # Fields are copied per form, so this is this form's own widget.
        self.widget.error_parts = ()

    def __deepcopy__(self, memo: dict[int, Any]) -> GovukDateField:
        result = super().__deepcopy__(memo)
        result.widget.error_parts = ()
        return result

    @property
    def name_in_messages(self) -> str:
        return self.message_name or str(self.label or "Date")

    def _fail(self, message: str, parts: tuple[str, ...] = PARTS) -> ValidationError:
        self.widget.error_parts = parts
        return ValidationError(message, code="invalid")

    def to_python(self, value: Any) -> datetime.date | None:
        if isinstance(value, datetime.date):
            return value
        if value in (None, "", [], ()):
            return None
        if isinstance(value, str):
            value = self.widget.value_from_datadict({"d": value}, None, "d")
        parts = [str(v or "").strip() for v in value]
        if not any(parts):
            return None
        name = self.name_in_messages
        missing = tuple(part for part, typed in zip(PARTS, parts, strict=True) if not typed)
        if missing:
            what = " and ".join(f"a {part}" for part in missing[:2])
            raise self._fail(f"{name} must include {what}", missing)
        day, month, year = parts
        if not all(re.fullmatch(r"\d{1,4}", typed) for typed in parts):
            raise self._fail(f"{name} must be a real date")
        if len(year) != 4:
            raise self._fail("Year must include 4 numbers", ("year",))
        try:
            date = datetime.date(int(year), int(month), int(day))
        except ValueError:
            wrong: tuple[str, ...] = PARTS
            if not 1 <= int(month) <= 12:
                wrong = ("month",)
            elif not 1 <= int(day) <= 31:
                wrong = ("day",)
            raise self._fail(f"{name} must be a real date", wrong) from None
        if date.year < self.earliest_year:
            raise self._fail(f"{name} must be after {self.earliest_year - 1}", ("year",))
        self.widget.error_parts = ()
        return date

    def validate(self, value: datetime.date | None) -> None:
        if value is None:
            if self.required:
                self.widget.error_parts = PARTS
                raise ValidationError(self.error_messages["required"], code="required")
            return
        today = timezone.localdate()
        name = self.name_in_messages
        checks = {
            "past": (value < today, f"{name} must be in the past"),
            "today_or_past": (value <= today, f"{name} must be today or in the past"),
            "future": (value > today, f"{name} must be in the future"),
            "today_or_future": (value >= today, f"{name} must be today or in the future"),
        }
        if self.direction:
            ok, message = checks[self.direction]
            if not ok:
                raise self._fail(message)
        if self.younger_than is not None and value <= today:
            age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
            if age >= self.younger_than:
                message = self.error_messages.get(
                    "too_old", "%(name)s must be for someone under %(limit)s"
                )
                self.widget.error_parts = ("year",)
                raise ValidationError(
                    message,
                    code="too_old",
                    params={"name": name, "age": age, "limit": self.younger_than},
                )

    def has_changed(self, initial: Any, data: Any) -> bool:
        try:
            return self.to_python(initial) != self.to_python(data)
        except ValidationError:
            return True
