"""The "my work" page, the team view and /api/v1/flags/."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cse_cases import drift
from supervision import services
from supervision.models import Escalation, Flag
from tests.conftest import signed_in_client
from tests.supervision.conftest import record_returned_episode


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def overdue_interview(ordinary_tuesday, jade, amira, jades_case):
    """Overdue for two days, not yet escalated (on a fixed weekday: see ordinary_tuesday)."""
    record_returned_episode(by=amira, young_person=jade)
    services.flags_sweep(now=timezone.now(), kinds=["return_interview"])
    return Flag.objects.get()


def flag_rows(response) -> list[str]:
    """The text of each row of the my-work flags table, top to bottom."""
    table = re.search(r'<table[^>]*id="my-flags".*?</table>', response.content.decode(), re.S)
    assert table, "no flags table"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S)[1:]  # skip the header
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def test_my_work_lists_my_flags_most_urgent_first(overdue_interview, amira):
    # Overdue for longest, but nobody has escalated it yet: least urgent here.
    assert overdue_interview.escalation == Escalation.NONE
    escalated = Flag.objects.create(
        kind="action",
        subject_type="action",
        subject_id=9001,
        young_person=overdue_interview.young_person,
        area=overdue_interview.area,
        owner=amira,
        due_at=overdue_interview.due_at + timedelta(days=2),
        escalation=Escalation.CSE_LEAD,
    )
    high_risk = Flag.objects.create(
        kind="plan_review",
        subject_type="plan",
        subject_id=9002,
        young_person=overdue_interview.young_person,
        area=overdue_interview.area,
        owner=amira,
        due_at=overdue_interview.due_at + timedelta(days=1),
        high_risk=True,
    )

    response = signed_in_client(amira).get(reverse("my-work"))

    assert response.status_code == 200
    rows = flag_rows(response)
    labels = [drift.rule_for(f.kind).label for f in (escalated, high_risk, overdue_interview)]
    assert len(rows) == 3, rows
    for row, label in zip(rows, labels, strict=True):
        assert row.startswith(label), (row, label)
    assert "Escalated to the CSE lead" in rows[0]
    assert "High risk" in rows[1]
    assert "Return interview overdue" in rows[2]
    assert all("Jade" in row for row in rows)


def test_the_team_view_counts_flags_by_worker_and_age(overdue_interview, sam, jo, grace):
    for person in (sam, jo):
        page = text(signed_in_client(person).get(reverse("team-flags")))
        assert "Amira Bennett" in page
        assert "Return interview overdue" in page
    assert signed_in_client(grace).get(reverse("team-flags")).status_code == 404


def test_the_api_lists_flags_only_on_subjects_you_may_see(overdue_interview, amira, ben):
    mine = signed_in_client(amira).get(reverse("flag-api-list") + "?open=1&mine=1").json()
    assert [f["kind"] for f in mine["results"]] == ["return_interview"]
    assert signed_in_client(ben).get(reverse("flag-api-list")).json()["results"] == []
    assert (
        signed_in_client(ben)
        .get(reverse("flag-api-detail", args=[overdue_interview.pk]))
        .status_code
        == 404
    )


def test_my_work_runs_a_fixed_number_of_queries(
    overdue_interview, amira, django_assert_max_num_queries
):
    client = signed_in_client(amira)
    assert client.get(reverse("my-work")).status_code == 200
    with django_assert_max_num_queries(14) as first:
        assert client.get(reverse("my-work")).status_code == 200
    Flag.objects.bulk_create(
        Flag(
            kind="no_contact",
            subject_type="case",
            subject_id=9000 + n,
            young_person=overdue_interview.young_person,
            area=overdue_interview.area,
            owner=amira,
            due_at=timezone.now(),
        )
        for n in range(20)
    )
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(reverse("my-work"))
    assert response.status_code == 200
    assert len(flag_rows(response)) == 21  # the larger data size was really shown


def test_the_team_view_runs_a_fixed_number_of_queries(
    overdue_interview, sam, amira, django_assert_max_num_queries
):
    client = signed_in_client(sam)
    assert client.get(reverse("team-flags")).status_code == 200
    with django_assert_max_num_queries(14) as first:
        assert client.get(reverse("team-flags")).status_code == 200
    Flag.objects.bulk_create(
        Flag(
            kind=kind,
            subject_type="case",
            subject_id=9000 + n,
            young_person=overdue_interview.young_person,
            area=overdue_interview.area,
            owner=amira,
            team=amira.team,
            due_at=timezone.now() - timedelta(days=n),
        )
        for n, kind in enumerate(["no_contact", "action", "plan_review"] * 5)
    )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(reverse("team-flags")).status_code == 200
