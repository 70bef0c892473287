"""The young person's record: identifiers, ages and the rules the data keeps."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from cse_cases.identifiers import nhs_number_is_valid, upn_is_valid
from cse_cases.models import CaseStatus, LegalStatus
from tests.factories import CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("943 476 5919", True),
        ("943-476-5919", True),
        ("4857773457", True),
        ("4857773456", False),  # wrong check digit
        ("123456789", False),  # nine digits
        ("1234567890a", False),
    ],
)
def test_nhs_number_check_digit(number: str, valid: bool) -> None:
    assert nhs_number_is_valid(number) is valid


@pytest.mark.parametrize(("upn", "valid"), [("A123456789012", True), ("B123456789012", False)])
def test_school_upn_check_letter(upn: str, valid: bool) -> None:
    assert upn_is_valid(upn) is valid


def test_age_and_thresholds(jade) -> None:
    jade.date_of_birth = date(2012, 11, 22)
    assert jade.age_on(date(2026, 11, 21)) == 13
    assert jade.age_on(date(2026, 11, 22)) == 14
    jade.date_of_birth = date(2014, 1, 1)
    with time_machine.travel("2026-12-31 12:00 +00:00", tick=False):
        assert jade.age == 12
        assert jade.under_13
        assert jade.under_16
    with time_machine.travel("2027-01-01 12:00 +00:00", tick=False):  # the 13th birthday
        assert jade.age == 13
        assert not jade.under_13
        assert jade.under_16
    with time_machine.travel("2030-01-01 12:00 +00:00", tick=False):
        assert not jade.under_16


def test_looked_after_needs_its_legal_basis(jade) -> None:
    jade.legal_status = LegalStatus.LOOKED_AFTER
    with pytest.raises(IntegrityError):
        jade.save()


def test_invalid_nhs_number_is_explained(jade) -> None:
    jade.nhs_number = "4857773456"
    with pytest.raises(ValidationError, match="This NHS number is not valid"):
        jade.full_clean()


def test_one_open_case_per_young_person(jades_case, amira) -> None:
    with pytest.raises(IntegrityError):
        CaseFactory(young_person=jades_case.young_person, lead_professional=amira)


def test_a_closed_case_has_a_closing_date(jades_case) -> None:
    jades_case.status = CaseStatus.CLOSED
    with pytest.raises(IntegrityError):
        jades_case.save()


def test_nhs_number_belongs_to_one_record(kingsmere, amira) -> None:
    YoungPersonFactory(area=kingsmere, created_by=amira, nhs_number="9434765919")
    with pytest.raises(IntegrityError):
        YoungPersonFactory(area=kingsmere, created_by=amira, nhs_number="9434765919")
