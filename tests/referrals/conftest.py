"""Referral helpers. Sara, a school's safeguarding lead in Kingsmere (tests/conftest.py),
makes referrals; Jo (Kingsmere's CSE lead) and Sam (duty manager) screen them."""

from __future__ import annotations

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from referrals import services
from tests.conftest import verified

# The smallest file each check accepts, by its real first bytes.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = bytes.fromhex("89504E470D0A1A0A0000000D49484452000000010000000108060000001F15C489")


def referral_data(**overrides) -> dict:
    data = {
        "referrer_name": "Sara Lewis",
        "referrer_role": "Designated safeguarding lead",
        "referrer_agency_name": "Kingsmere Academy",
        "referrer_email": "sara.lewis@school.example",
        "concerns": "Seen getting into a car with an adult outside school twice this week.",
        "indicators": ["transported", "gifts_money"],
        "young_persons_words": "He buys me stuff, he's nice to me.",
        "parents_aware": "yes",
        "consent": "given",
        "urgency": "routine",
    }
    data.update(overrides)
    return data


def pdf(name: str = "notes.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def make_referral(sara):
    """A referral by Sara (or `by`) about a known young person, or as given."""

    def make(by=None, *, young_person=None, **kwargs):
        referral, _ = services.referral_create(
            by=verified(by or sara),
            data=referral_data(**kwargs.pop("data", {})),
            young_person=young_person,
            idempotency_key=kwargs.pop("idempotency_key", uuid.uuid4()),
            **kwargs,
        )
        return referral

    return make


def decide(referral, by, decision="early_help", **kwargs):
    """Record a decision with its reasons, as a screener would."""
    return services.referral_decide(
        by=verified(by),
        referral=referral,
        decision=decision,
        rationale=kwargs.pop("rationale", "Needs support from the family team."),
        feedback=kwargs.pop("feedback", "Thank you: early help will contact the family."),
        **kwargs,
    )
