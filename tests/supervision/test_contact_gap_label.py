"""The no-contact flag says the gap it counts (CONTACT_GAP_DAYS), wherever it is shown."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cse_cases import drift
from cse_cases.models import Case
from supervision import services
from tests.conftest import ORDINARY_TUESDAY, signed_in_client

# The sweep counts the gap from a case opened "20 days ago" and the digest is
# sent "now": from one ordinary working day, whatever day the suite runs.
pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]


def test_the_label_follows_the_setting(settings) -> None:
    settings.CONTACT_GAP_DAYS = 14
    assert str(drift.rule_for("no_contact").label) == "No recorded contact for 14 days"
    settings.CONTACT_GAP_DAYS = 1
    assert str(drift.rule_for("no_contact").label) == "No recorded contact for 1 day"


def test_my_work_and_the_digest_say_the_gap_in_use(settings, jades_case, amira) -> None:
    settings.CONTACT_GAP_DAYS = 14
    Case.objects.filter(pk=jades_case.pk).update(
        opened_on=timezone.localdate() - timedelta(days=20)
    )
    services.flags_sweep(now=timezone.now(), kinds=["no_contact"])
    page = re.sub(r"\s+", " ", signed_in_client(amira).get(reverse("my-work")).content.decode())
    assert "No recorded contact for 14 days" in page
    assert "28 days" not in page
    services.flag_digests_send(now=timezone.now())
    (digest,) = [m for m in mail.outbox if m.to == [amira.email]]
    assert "- No recorded contact for 14 days: 1" in digest.body
