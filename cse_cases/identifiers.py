"""Validators for the identifiers a young person's record carries."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # I, O and S are never used


def normalise_nhs_number(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "")


def nhs_number_is_valid(value: str) -> bool:
    """Modulus 11 check of a 10-digit NHS number (NHS Data Dictionary)."""
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        return False
    total = sum(int(d) * weight for d, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def validate_nhs_number(value: str) -> None:
    digits = normalise_nhs_number(value)
    if not re.fullmatch(r"\d{10}", digits):
        raise ValidationError(
            "Enter an NHS number of 10 digits, like 485 777 3457", code="nhs_format"
        )
    if not nhs_number_is_valid(digits):
        raise ValidationError(
            "This NHS number is not valid: check each digit against the letter or card "
            "it came from",
            code="nhs_check_digit",
        )


def upn_is_valid(value: str) -> bool:
    """A school Unique Pupil Number: a check letter and 12 characters (DfE)."""
    upn = (value or "").strip().upper()
    if not re.fullmatch(rf"[{UPN_CHECK_LETTERS}]\d{{11}}[\d{UPN_CHECK_LETTERS}]", upn):
        return False
    total = 0
    for weight, char in zip(range(2, 14), upn[1:], strict=True):
        number = int(char) if char.isdigit() else UPN_CHECK_LETTERS.index(char)
        total += number * weight
    return UPN_CHECK_LETTERS[total % 23] == upn[0]


def validate_upn(value: str) -> None:
    if not upn_is_valid(value):
        raise ValidationError(
            "Enter the school's 13-character Unique Pupil Number, like A123456789012",
            code="upn",
        )
