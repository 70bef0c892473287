"""Meeting pages, the PDFs, and the owner's work list."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assessments.meetings import services
from assessments.models import Meeting, MeetingKind, MeetingSubject
from cse_cases.models import AuditEvent
from supervision import services as flag_services
from tests.conftest import ORDINARY_TUESDAY, signed_in_client, verified
from tests.factories import date_parts
from tests.supervision.conftest import record_returned_episode

# Dates here are "in 3 days", "due yesterday", a review months ahead: all
# counted from one ordinary working day, whatever day the suite runs.
pytestmark = pytest.mark.time_machine(ORDINARY_TUESDAY)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_a_cse_lead_schedules_from_the_record(jo, jade, jades_case):
    client = signed_in_client(jo)
    record = text(client.get(reverse("young-person", args=[jade.pk])))
    assert "Schedule a meeting about" in record
    url = reverse("meeting-create") + f"?young_person={jade.pk}"
    day = timezone.localdate() + timedelta(days=3)
    response = client.post(
        url,
        {
            "kind": "strategy_discussion",
            "area": jade.area_id,
            "day": day.isoformat(),
            "time": "10:30",
            "online": "on",
        },
    )
    meeting = Meeting.objects.get()
    assert response.url == reverse("meeting", args=[meeting.pk])
    assert timezone.localtime(meeting.starts_at).hour == 10
    assert list(meeting.subjects.values_list("young_person", flat=True)) == [jade.pk]


def test_scheduling_without_a_place_keeps_what_was_typed(jo, jade, jades_case):
    day = timezone.localdate() + timedelta(days=3)  # a day still to come
    response = signed_in_client(jo).post(
        reverse("meeting-create") + f"?young_person={jade.pk}",
        {
            "kind": "strategy_discussion",
            "area": jade.area_id,
            **date_parts("day", day),
            "time": "09:15",
        },
    )
    page = text(response)
    assert "Say where the meeting is, or that it is online." in page
    assert f'name="day_day" value="{day.day}"' in page
    assert f'name="day_year" value="{day.year}"' in page
    assert 'value="09:15"' in page


def test_the_meeting_page_shows_each_young_persons_agenda(panel, jo, jade):
    page = text(signed_in_client(jo).get(reverse("meeting", args=[panel.pk])))
    assert "MACE panel" in page
    assert page.count("Agenda from the record") == 3
    assert "No signed-off assessment." in page


def test_the_agenda_shows_what_is_overdue_on_each_record(panel, jo, jade, amira):
    record_returned_episode(by=amira, young_person=jade, days_ago=5)
    flag_services.flags_sweep(now=timezone.now(), kinds=["return_interview"])
    client = signed_in_client(jo)
    page = text(client.get(reverse("meeting", args=[panel.pk])))
    assert "1 overdue item on the record" in page
    assert "Return interview overdue: due" in page
    assert page.count("Nothing overdue on the record.") == 2
    pack = pdf_text(client.get(reverse("meeting-pdf", args=[panel.pk, "pack"])))
    assert "Return interview overdue" in pack


def test_someone_who_sees_only_jade_sees_only_her_part(panel, jo, grace, jade):
    services.participant_add(by=verified(jo), meeting=panel, user=grace)
    page = text(signed_in_client(grace).get(reverse("meeting", args=[panel.pk])))
    assert page.count("Agenda from the record") == 1
    assert "2 other young people discussed at this meeting are not shown" in page
    others = MeetingSubject.objects.filter(meeting=panel).exclude(young_person=jade)
    for subject in others:
        assert subject.young_person.legal_last_name not in page
    # Not hers to run: no minutes links.
    assert "Minutes and decisions" not in page


def test_the_record_pdf_withholds_and_is_audited(panel, jo, grace, jade):
    services.participant_add(by=verified(jo), meeting=panel, user=grace)
    subject = panel.subjects.get(young_person=jade)
    services.minutes_save(
        by=verified(jo),
        subject=subject,
        version=1,
        minutes="Seen at the station with two adults.",
        agreed_level="high",
    )
    response = signed_in_client(grace).get(reverse("meeting-pdf", args=[panel.pk, "record"]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    words = pdf_text(response)
    assert "Record of the meeting" in words
    assert "Seen at the station with two adults." in words
    assert "Agreed level of risk: High" in words
    assert "2 young people discussed at this meeting are withheld from this copy" in words
    for other in MeetingSubject.objects.filter(meeting=panel).exclude(young_person=jade):
        assert other.young_person.legal_last_name not in words
    assert AuditEvent.objects.filter(
        user_id=grace.pk, action="export", young_person_id=jade.pk, detail__contains="PDF"
    ).exists()


def test_someone_not_on_the_list_cannot_download_the_papers(panel, sam, jade):
    # Sam sees Jade (he supervises Amira) and so the meeting, but was not invited.
    assert signed_in_client(sam).get(reverse("meeting", args=[panel.pk])).status_code == 200
    assert (
        signed_in_client(sam).get(reverse("meeting-pdf", args=[panel.pk, "pack"])).status_code
        == 404
    )


def test_removing_a_young_person_with_minutes_is_refused_on_the_page(panel, jo, jade):
    subject = panel.subjects.get(young_person=jade)
    client = signed_in_client(jo)
    client.post(
        reverse("meeting-minutes", args=[panel.pk, subject.pk]),
        {"version": 1, "minutes": "Discussed."},
    )
    page = text(
        client.post(
            reverse("meeting-young-person-remove", args=[panel.pk, subject.pk]), follow=True
        )
    )
    assert "cannot be removed" in page
    assert MeetingSubject.objects.filter(pk=subject.pk).exists()


def test_an_action_due_in_the_past_asks_for_confirmation(panel, jo, jade, grace):
    subject = panel.subjects.get(young_person=jade)
    client = signed_in_client(jo)
    url = reverse("meeting-action-add", args=[panel.pk, subject.pk])
    data = {
        "description": "Check Jade's phone contacts with her",
        "owner": grace.pk,
        "due_on": (timezone.localdate() - timedelta(days=2)).isoformat(),
    }
    page = text(client.post(url, data))
    assert "is in the past" in page
    assert "Check Jade&#x27;s phone contacts with her" in page
    assert "record it as already due" in page
    assert client.post(url, {**data, "confirm_past": "on"}).status_code == 302
    mine = text(signed_in_client(grace).get(reverse("my-actions")))
    assert "Check Jade&#x27;s phone contacts with her" in mine
    assert "Overdue" in mine


def test_an_external_attendee_is_added_on_the_page(panel, jo):
    response = signed_in_client(jo).post(
        reverse("meeting-participant-add", args=[panel.pk]),
        {"name": "Dr Shah", "agency_name": "Kingsmere GP practice", "role": "GP"},
        follow=True,
    )
    assert "recorded as an external attendee, with no access to Harbour" in text(response)


def test_the_meeting_page_runs_a_fixed_number_of_queries(
    panel,
    jo,
    jade,
    grace,
    amira,
    django_assert_max_num_queries,
):
    client = signed_in_client(jo)
    url = reverse("meeting", args=[panel.pk])
    client.get(url)
    with django_assert_max_num_queries(30) as first:
        client.get(url)
    for subject in panel.subjects.all():
        for n in range(3):
            services.action_add(
                by=verified(jo),
                meeting=panel,
                young_person=subject.young_person,
                description=f"Step {n}",
                owner=jo,
                due_on=timezone.localdate() + timedelta(days=3),
            )
        record_returned_episode(by=amira, young_person=subject.young_person, days_ago=5)
    flag_services.flags_sweep(now=timezone.now(), kinds=["return_interview"])
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = text(client.get(url))
    assert page.count("Return interview overdue: due") == 3


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("meeting", "get"),
        ("meeting-attendance", "post"),
        ("meeting-participant-add", "post"),
        ("meeting-young-person-add", "get"),
        ("meeting-distribute", "post"),
        ("meeting-pdf", "get"),
    ],
)
def test_outsiders_get_404(name, method, panel, ben, tom):
    kwargs = {"pk": panel.pk}
    if name in ("meeting-distribute", "meeting-pdf"):
        kwargs["kind"] = "pack"
    for outsider in (ben, tom):
        response = getattr(signed_in_client(outsider), method)(reverse(name, kwargs=kwargs))
        assert response.status_code == 404


def test_a_requested_strategy_discussion_is_scheduled_from_the_queue(jo, jade, jades_case, amira):
    import uuid

    from referrals import services as referral_services
    from referrals.models import MeetingRequest, MeetingRequestStatus
    from tests.referrals.conftest import referral_data

    referral, _ = referral_services.referral_create(
        by=verified(amira),
        data=referral_data(),
        young_person=jade,
        idempotency_key=uuid.uuid4(),
    )
    ask = MeetingRequest.objects.create(
        referral=referral, area=jade.area, young_person=jade, requested_by=jo
    )
    client = signed_in_client(jo)
    queue = text(client.get(reverse("referral-queue")))
    assert f"?request={ask.pk}" in queue
    day = timezone.localdate() + timedelta(days=1)
    client.post(
        reverse("meeting-create") + f"?request={ask.pk}",
        {
            "kind": "strategy_discussion",
            "area": jade.area_id,
            "day": day.isoformat(),
            "time": "09:00",
            "online": "on",
        },
    )
    ask.refresh_from_db()
    assert ask.status == MeetingRequestStatus.SCHEDULED
    assert ask.meeting.subjects.get().young_person == jade


def test_a_restricted_person_of_concern_is_shown_only_to_those_who_may_see_them(panel, jo, grace):
    from cse_cases import services as core

    suspect = core.person_of_concern_create(by=verified(jo), name="Ricky Vale")
    place = core.location_create(
        by=verified(jo), name="Station Hotel", kind="hotel", area=panel.area
    )
    client = signed_in_client(jo)
    for field, value in (("person", suspect.pk), ("location", place.pk)):
        client.post(reverse("meeting-contexts", args=[panel.pk]), {field: value})
    assert "Ricky Vale" in text(client.get(reverse("meeting", args=[panel.pk])))
    services.participant_add(by=verified(jo), meeting=panel, user=grace)
    page = text(signed_in_client(grace).get(reverse("meeting", args=[panel.pk])))
    assert "Station Hotel" in page
    assert "Ricky Vale" not in page
    # Each copy of the papers is made for its reader, the same way.
    pdf_url = reverse("meeting-pdf", args=[panel.pk, "record"])
    chairs_copy = pdf_text(client.get(pdf_url))
    assert "Places and persons of concern considered" in chairs_copy
    assert "Ricky Vale (person of concern)" in chairs_copy
    assert "Station Hotel (place)" in chairs_copy
    graces_copy = pdf_text(signed_in_client(grace).get(pdf_url))
    assert "Station Hotel (place)" in graces_copy
    assert "Ricky Vale" not in graces_copy


def test_cancelling_needs_a_reason(jo, jade, jades_case):
    meeting = services.meeting_schedule(
        by=verified(jo),
        kind="cse_strategy_meeting",
        area=jade.area,
        starts_at=timezone.now() + timedelta(days=2),
        online=True,
        young_people=[jade],
    )
    client = signed_in_client(jo)
    url = reverse("meeting-cancel", args=[meeting.pk])
    assert "Say why the meeting is cancelled." in text(
        client.post(url, {"reason": ""}, follow=True)
    )
    client.post(url, {"reason": "Jade moved out of area"})
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"


def test_the_owners_action_list_runs_a_fixed_number_of_queries(
    panel, jo, jade, grace, django_assert_max_num_queries
):
    def agree(n):
        services.action_add(
            by=verified(jo),
            meeting=panel,
            young_person=jade,
            description=f"Step {n}",
            owner=grace,
            due_on=timezone.localdate() + timedelta(days=n + 1),
        )

    agree(0)  # one row, so the list's audit row is written in both counts
    client = signed_in_client(grace)
    client.get(reverse("my-actions"))
    with django_assert_max_num_queries(14) as first:
        client.get(reverse("my-actions"))
    for n in range(1, 6):
        agree(n)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(reverse("my-actions")).status_code == 200


def test_searching_for_a_young_person_to_add_runs_a_fixed_number_of_queries(
    panel, jo, amira, kingsmere, django_assert_max_num_queries
):
    from tests.factories import CaseFactory, YoungPersonFactory

    client = signed_in_client(jo)
    url = reverse("meeting-young-person-add", args=[panel.pk]) + "?q=Rivers"

    def someone() -> None:
        person = YoungPersonFactory(area=kingsmere, created_by=amira, legal_last_name="Rivers")
        CaseFactory(young_person=person, lead_professional=amira)

    someone()
    client.get(url)
    with django_assert_max_num_queries(25) as one:
        client.get(url)
    for _ in range(5):
        someone()
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = text(client.get(url))
    assert page.count('name="young_person"') == 6  # one "Add" form per match


def test_the_chair_moves_the_meeting_and_the_record_falls_due_after_the_new_time(panel, jo, jade):
    client = signed_in_client(jo)
    url = reverse("meeting-reschedule", args=[panel.pk])
    assert "Move the meeting" in text(client.get(reverse("meeting", args=[panel.pk])))
    form = text(client.get(url))
    assert "Kingsmere Civic Centre, room 2" in form  # the current place, to change
    day = timezone.localdate() + timedelta(days=7)
    # A date more than a year away is refused, and what was typed stays.
    too_far = client.post(
        url,
        {"day": (day + timedelta(days=400)).isoformat(), "time": "10:30", "place": "Room 5"},
    )
    page = text(too_far)
    assert "The meeting is more than a year away: check the date." in page
    assert 'value="Room 5"' in page
    # Neither a place nor online.
    assert "Say where the meeting is, or that it is online." in text(
        client.post(url, {"day": day.isoformat(), "time": "10:30", "place": ""})
    )
    moved = client.post(url, {**date_parts("day", day), "time": "10:30", "place": "Room 5"})
    assert moved.status_code == 302
    panel.refresh_from_db()
    assert timezone.localtime(panel.starts_at).strftime("%Y-%m-%d %H:%M") == f"{day} 10:30"
    assert panel.place == "Room 5"
    assert panel.record_due_at > panel.starts_at
    assert "The meeting is moved to" in text(client.get(moved.url))


@time_machine.travel("2026-11-17 15:20 +00:00", tick=False)
def test_the_move_form_shows_the_meetings_current_date_and_time(jo, kingsmere, jade, jades_case):
    meeting = services.meeting_schedule(
        by=verified(jo),
        kind=MeetingKind.MACE_PANEL,
        area=kingsmere,
        starts_at=datetime(2026, 12, 3, 9, 45, tzinfo=ZoneInfo("Europe/London")),
        place="Kingsmere Civic Centre, room 2",
        young_people=[jade],
    )
    form = text(signed_in_client(jo).get(reverse("meeting-reschedule", args=[meeting.pk])))
    assert 'class="govuk-date-input"' in form
    assert 'name="day_day" value="3"' in form
    assert 'name="day_month" value="12"' in form
    assert 'name="day_year" value="2026"' in form
    assert 'type="time" name="time" value="09:45"' in form
    # Typed wrong, the move keeps what was typed and says what to fix.
    page = text(
        signed_in_client(jo).post(
            reverse("meeting-reschedule", args=[meeting.pk]),
            {"day_day": "31", "day_month": "11", "day_year": "2026", "time": "09:45"},
        )
    )
    assert "The date of the meeting must be a real date" in page
    assert 'name="day_day" value="31"' in page
    assert '<a href="#id_day_day">' in page


def test_a_cancelled_meeting_cannot_be_moved(panel, jo):
    services.meeting_cancel(by=verified(jo), meeting=panel, reason="Chair unwell")
    response = signed_in_client(jo).post(
        reverse("meeting-reschedule", args=[panel.pk]),
        {
            "day": (timezone.localdate() + timedelta(days=3)).isoformat(),
            "time": "09:00",
            "online": "on",
        },
    )
    assert "This meeting is cancelled, so it cannot be moved: schedule a new one." in text(response)
