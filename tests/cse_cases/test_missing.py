"""Missing episodes, the 72-hour return interview, independence and repeats."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cse_cases import services
from cse_cases.models import MissingReviewRequest
from cse_cases.services import NeedsConfirmation, RecordError
from tests.conftest import verified

pytestmark = pytest.mark.django_db


def episode_data(hours_ago: float = 30, duration: float | None = 6, **extra) -> dict:
    seen = timezone.now() - timedelta(hours=hours_ago)
    data = {
        "last_seen_at": seen,
        "reported_at": seen + timedelta(hours=2),
        "returned_at": seen + timedelta(hours=duration) if duration is not None else None,
        "risk_grading": "medium",
        "missing_or_absent": "missing",
        "missing_from": "placement",
        "police_reference": "MP/26/1001",
    }
    data.update(extra)
    return data


def record(by, young_person, **kwargs):
    return services.missing_episode_record(
        by=verified(by), young_person=young_person, data=episode_data(**kwargs)
    )


def interview(by, episode, interviewer, **extra):
    data = {
        "offered_at": episode.returned_at + timedelta(hours=10),
        "interviewer": interviewer,
        "interviewer_relationship": "independent",
        "outcome": "held",
        "held_at": episode.returned_at + timedelta(hours=20),
        "held_where": "School",
        "young_persons_words": "I went to a party in town",
    }
    data.update(extra)
    return services.return_interview_record(by=verified(by), episode=episode, data=data)


def test_the_return_interview_is_due_72_hours_after_the_return(amira, jade, jades_case) -> None:
    episode = record(amira, jade)
    assert episode.interview_due_at == episode.returned_at + timedelta(hours=72)
    still_missing = record(amira, jade, hours_ago=3, duration=None)
    assert still_missing.interview_due_at is None


def test_an_interview_offered_exactly_at_72_hours_is_on_time(amira, grace, jade, jades_case):
    episode = record(amira, jade, hours_ago=100, duration=6)
    done = interview(
        amira,
        episode,
        grace,
        offered_at=episode.returned_at + timedelta(hours=72),
        held_at=episode.returned_at + timedelta(hours=73),
    )
    assert done.on_time
    late = record(amira, jade, hours_ago=300, duration=6)
    late_interview = interview(
        amira,
        late,
        grace,
        offered_at=late.returned_at + timedelta(hours=72, seconds=1),
        held_at=late.returned_at + timedelta(hours=80),
    )
    assert not late_interview.on_time


@pytest.mark.parametrize("relationship", ["carer", "placement_staff"])
def test_carers_and_placement_staff_cannot_hold_the_interview(
    amira, grace, jade, jades_case, relationship
) -> None:
    episode = record(amira, jade)
    with pytest.raises(RecordError, match="independent") as error:
        interview(amira, episode, grace, interviewer_relationship=relationship)
    assert error.value.field == "interviewer_relationship"


def test_the_allocated_social_worker_is_warned_and_may_confirm(amira, jade, jades_case) -> None:
    episode = record(amira, jade)
    with pytest.raises(NeedsConfirmation, match="allocated social worker"):
        interview(amira, episode, amira, interviewer_relationship="other_professional")
    done = services.return_interview_record(
        by=verified(amira),
        episode=episode,
        data={
            "offered_at": episode.returned_at + timedelta(hours=1),
            "interviewer": amira,
            "interviewer_relationship": "social_worker",
            "outcome": "declined",
            "attempts": "Visited twice; Jade did not want to talk",
        },
        confirmed=True,
    )
    assert done.held_at is None


def test_a_return_before_the_report_is_refused(amira, jade, jades_case) -> None:
    seen = timezone.now() - timedelta(hours=10)
    with pytest.raises(RecordError, match="after the young person was reported") as error:
        services.missing_episode_record(
            by=verified(amira),
            young_person=jade,
            data=episode_data(
                last_seen_at=seen,
                reported_at=seen + timedelta(hours=3),
                returned_at=seen + timedelta(hours=1),
            ),
        )
    assert error.value.field == "returned_at"


def test_overlapping_episodes_are_refused(amira, jade, jades_case) -> None:
    record(amira, jade, hours_ago=30, duration=10)
    with pytest.raises(RecordError, match="overlaps another episode"):
        record(amira, jade, hours_ago=25, duration=2)
    with pytest.raises(RecordError, match="overlaps"):
        record(amira, jade, hours_ago=40, duration=None)  # still missing from before it
    record(amira, jade, hours_ago=19, duration=2)  # after the first ended: fine


def test_three_episodes_in_90_days_raise_one_review_request(amira, jade, jades_case) -> None:
    record(amira, jade, hours_ago=24 * 80)
    record(amira, jade, hours_ago=24 * 40)
    assert not MissingReviewRequest.objects.exists()
    record(amira, jade, hours_ago=24 * 2)
    request = MissingReviewRequest.objects.get()
    assert request.episode_count == 3
    record(amira, jade, hours_ago=24 * 1)
    request.refresh_from_db()
    assert MissingReviewRequest.objects.count() == 1
    assert request.episode_count == 4


def test_an_episode_over_24_hours_stands_out(amira, jade, jades_case) -> None:
    assert record(amira, jade, hours_ago=48, duration=30).long
    assert not record(amira, jade, hours_ago=10, duration=3).long


def test_times_in_the_future_are_refused(amira, jade, jades_case) -> None:
    with pytest.raises(RecordError, match="future"):
        record(amira, jade, hours_ago=-5, duration=None)


def test_an_outsider_cannot_record(tom, jade, jades_case) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        record(tom, jade)


# --- Import of police missing notifications ---------------------------------------

HEADER = (
    "police_reference,nhs_number,first_name,last_name,date_of_birth,last_seen_at,"
    "reported_at,returned_at,risk_grading,missing_or_absent,missing_from,where_found,"
    "exploitation_concern,safe_and_well_check\n"
)


def csv_for(jade, *rows: str) -> bytes:
    dob = jade.date_of_birth.isoformat()
    body = "".join(row.replace("{dob}", dob) + "\n" for row in rows)
    return (HEADER + body).encode()


GOOD = [
    "MP/1,,Jade,Morgan,{dob},2026-11-01 18:00,2026-11-01 21:00,2026-11-02 09:00,high,missing,"
    "placement,Station Hotel,yes,yes",
    "MP/2,,jade,MORGAN,{dob},2026-11-10 18:00,2026-11-10 19:00,,medium,absent,home,,no,no",
]


def test_an_import_matches_young_people_and_is_idempotent(jo, jade, jades_case) -> None:
    first = services.missing_import(by=verified(jo), data=csv_for(jade, *GOOD))
    assert first.ok, first.errors
    assert (first.rows, first.added, first.already) == (2, 2, 0)
    episode = jade.missing_episodes.get(police_reference="MP/1")
    assert episode.source == "police_import"
    assert episode.exploitation_concern
    again = services.missing_import(by=verified(jo), data=csv_for(jade, *GOOD))
    assert (again.added, again.already) == (0, 2)
    assert jade.missing_episodes.count() == 2


def test_a_file_with_bad_rows_imports_nothing_and_names_each_row(jo, jade, jades_case) -> None:
    data = csv_for(
        jade,
        GOOD[0],
        "MP/3,,Nobody,Known,2012-01-01,2026-11-03 18:00,2026-11-03 19:00,,low,missing,home,,no,no",
        "MP/4,,Jade,Morgan,{dob},not a date,2026-11-04 19:00,,low,missing,home,,no,no",
        "MP/5,,Jade,Morgan,{dob},2026-11-05 18:00,2026-11-05 19:00,2026-11-05 17:00,low,"
        "missing,home,,no,no",
        "MP/6,,Jade,Morgan,{dob},2026-11-06 18:00,2026-11-06 19:00,,urgent,missing,home,,no,no",
    )
    report = services.missing_import(by=verified(jo), data=data)
    assert not report.ok
    assert report.added == 0
    assert [number for number, _ in report.errors] == [3, 4, 5, 6]
    messages = dict(report.errors)
    assert "No young person you can see is called Nobody Known" in messages[3]
    assert "last_seen_at 'not a date'" in messages[4]
    assert "after the young person was reported" in messages[5]
    assert "risk_grading 'urgent' must be one of" in messages[6]
    assert not jade.missing_episodes.exists()


def test_a_file_missing_columns_is_refused(jo, jade, jades_case) -> None:
    report = services.missing_import(
        by=verified(jo), data=b"police_reference,first_name\nMP/1,Jade\n"
    )
    assert "missing columns: last_seen_at, reported_at" in report.problem
    assert not jade.missing_episodes.exists()


def test_only_police_and_cse_leads_import(amira, jade) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.missing_import(by=verified(amira), data=HEADER.encode())


def test_the_database_refuses_overlapping_episodes(amira, jade, jades_case) -> None:
    from django.db import IntegrityError

    from cse_cases.models import MissingEpisode

    first = record(amira, jade, hours_ago=30, duration=10)
    clash = MissingEpisode(
        young_person=jade,
        recorded_by=amira,
        last_seen_at=first.last_seen_at + timedelta(hours=1),
        reported_at=first.last_seen_at + timedelta(hours=2),
        risk_grading="low",
        missing_or_absent="missing",
        missing_from="home",
    )
    with pytest.raises(IntegrityError, match="missing_episodes_do_not_overlap"):
        clash.save()


# --- Edges found in review -----------------------------------------------------------


def test_a_reviewed_repeat_is_not_raised_again_by_a_correction(amira, jade, jades_case):
    for days in (60, 30, 3):
        last = record(amira, jade, hours_ago=24 * days, duration=None if days == 3 else 6)
    request = MissingReviewRequest.objects.get()
    services.missing_review_done(by=verified(amira), request=request)
    services.missing_episode_update(
        by=verified(amira),
        episode=last,
        version=last.version,
        data={"returned_at": last.reported_at + timedelta(hours=1)},
    )
    assert not MissingReviewRequest.objects.filter(status="open").exists()
    record(amira, jade, hours_ago=24)  # a new episode asks again
    assert MissingReviewRequest.objects.filter(status="open").count() == 1


def test_merging_records_moves_their_episodes(jo, amira, jade, jades_case) -> None:
    from tests.factories import YoungPersonFactory

    twin = YoungPersonFactory(area=jade.area, created_by=amira)
    record(jo, twin, hours_ago=200)  # moves
    same = record(jo, twin, hours_ago=100, police_reference="MP/9")  # on both: stays behind
    record(jo, jade, hours_ago=99, police_reference="MP/9")
    services.young_people_merge(by=verified(jo), keep=jade, duplicate=twin, reason="Same girl")
    assert jade.missing_episodes.count() == 2
    same.refresh_from_db()
    assert same.young_person == twin


def test_an_interview_held_on_the_merged_record_counts_as_contact(
    jo, amira, grace, jade, jades_case
) -> None:
    from cse_cases.models import Case
    from tests.factories import YoungPersonFactory

    twin = YoungPersonFactory(area=jade.area, created_by=amira)
    episode = record(jo, twin, hours_ago=200)
    held = interview(jo, episode, grace).held_at
    services.young_people_merge(by=verified(jo), keep=jade, duplicate=twin, reason="Same girl")
    assert Case.objects.get(pk=jades_case.pk).last_contact_at == held


def test_merging_records_with_clashing_episodes_is_refused(jo, amira, jade, jades_case) -> None:
    from tests.factories import YoungPersonFactory

    twin = YoungPersonFactory(area=jade.area, created_by=amira)
    record(jo, twin, hours_ago=50, duration=10, police_reference="MP/1")
    record(jo, jade, hours_ago=48, duration=10, police_reference="MP/2")
    with pytest.raises(RecordError, match="overlapping missing episodes"):
        services.young_people_merge(by=verified(jo), keep=jade, duplicate=twin, reason="x")


def test_police_from_another_district_record_nothing_through_break_glass(tom, jade, jades_case):
    from django.core.exceptions import PermissionDenied

    services.break_glass_open(user=verified(tom), case=jades_case, reason="Found her in Afon")
    with pytest.raises(PermissionDenied):
        record(tom, jade)


def test_awkward_files_get_a_message_not_a_crash(jo, jade, jades_case) -> None:
    huge = HEADER + "MP/1," + "x" * 140_000 + "\n"
    assert (
        "not a readable CSV file"
        in services.missing_import(by=verified(jo), data=huge.encode()).problem
    )
    long_reference = GOOD[0].replace("MP/1,", "MP/" + "9" * 60 + ",")
    report = services.missing_import(by=verified(jo), data=csv_for(jade, long_reference))
    assert "longer than 50 characters" in report.errors[0][1]


def test_a_name_match_with_another_nhs_number_is_refused(jo, jade, jades_case) -> None:
    jade.nhs_number = "9434765919"
    jade.save()
    row = GOOD[0].replace("MP/1,,", "MP/1,4857773457,")  # valid, but not Jade's
    report = services.missing_import(by=verified(jo), data=csv_for(jade, row))
    assert "different NHS number" in report.errors[0][1]


def test_an_episode_typed_in_before_the_import_is_not_doubled(jo, amira, jade, jades_case):
    seen = timezone.make_aware(timezone.datetime(2026, 11, 1, 18, 0))
    services.missing_episode_record(
        by=verified(amira),
        young_person=jade,
        data=episode_data(
            last_seen_at=seen,
            reported_at=seen + timedelta(hours=3),
            returned_at=None,
            police_reference="mp/1",
        ),
    )
    report = services.missing_import(by=verified(jo), data=csv_for(jade, GOOD[0]))
    assert report.ok, report.errors
    # The same episode: linked, and the file's return recorded on it.
    assert (report.added, report.already, report.updated) == (0, 0, 1)
    assert jade.missing_episodes.get().import_key == "police:MP/1"


def test_a_later_notification_brings_the_return(jo, jade, jades_case) -> None:
    still_out = GOOD[1]  # MP/2 has no return yet
    services.missing_import(by=verified(jo), data=csv_for(jade, still_out))
    back = still_out.replace("2026-11-10 19:00,,", "2026-11-10 19:00,2026-11-11 08:00,")
    report = services.missing_import(by=verified(jo), data=csv_for(jade, back))
    assert (report.added, report.already, report.updated) == (0, 0, 1)
    assert jade.missing_episodes.get().returned_at is not None
