"""A record merge moves everything about the child to the record kept.

Jade's record is kept; "Jayde", a duplicate someone opened for the same girl,
is folded into it. Whatever points at Jayde (or at her cases), in any app,
must end up on Jade's record, or be left behind on purpose, for a reason
written in the merge registry (cse_cases/merge.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from assessments.models import (
    Action,
    Assessment,
    AssessmentStatus,
    Distribution,
    Meeting,
    MeetingSubject,
    Plan,
)
from cse_cases import merge
from cse_cases import services as core
from cse_cases.models import (
    Alias,
    AuditAction,
    AuditEvent,
    Case,
    CaseMember,
    CaseStatus,
    ClosureCategory,
    ContextLink,
    Draft,
    Location,
    MissingEpisode,
    YoungPerson,
)
from supervision import services as supervision
from supervision.models import Flag
from tests.conftest import verified
from tests.factories import CaseFactory, YoungPersonFactory
from tests.supervision.conftest import record_returned_episode

# --- Every relation has a decision --------------------------------------------------


def _relations_to(model: type[models.Model]) -> list[tuple[type[models.Model], str]]:
    """Every model and field pointing at `model`, from any app: foreign keys,
    one-to-ones, nullable ones, many-to-manys and their through tables.

    `_meta.related_objects` leaves out relations declared with
    related_name="+" (a flag's or a meeting subject's young person, which are
    exactly the ones a merge used to forget), so this asks for hidden ones too.
    """
    found = []
    for field in model._meta.get_fields(include_hidden=True):
        if field.is_relation and field.auto_created and not field.concrete:
            found.append((field.related_model, field.field.name))
    visible = {(r.related_model, r.field.name) for r in model._meta.related_objects}
    assert visible <= set(found)
    return found


def _plain_references() -> list[tuple[type[models.Model], str]]:
    """Columns holding a young person's or case's id without a foreign key
    (the append-only audit trail): references all the same."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if not field.is_relation and field.name in ("young_person_id", "case_id")
    ]


def test_every_relation_to_a_young_person_or_a_case_has_a_merge_decision() -> None:
    undecided = [
        f"{model._meta.label}.{field}"
        for model, field in (_relations_to(YoungPerson) + _relations_to(Case) + _plain_references())
        if merge.decided(model, field) is None
    ]
    assert not undecided, (
        "A record merge does not know what to do with "
        + ", ".join(undecided)
        + ": register a handler (cse_cases.merge.register) or say why it stays "
        "(cse_cases.merge.stays) from the app's AppConfig.ready"
    )


def test_the_walk_sees_relations_from_every_app_hidden_or_not() -> None:
    found = {f"{m._meta.label}.{f}" for m, f in _relations_to(YoungPerson) + _relations_to(Case)}
    assert {
        "supervision.Flag.young_person",  # related_name="+", nullable
        "assessments.MeetingSubject.young_person",  # related_name="+"
        "assessments.Action.young_person",
        "assessments.Plan.case",  # one-to-one
        "cse_cases.PersonOfConcern.young_person",  # nullable one-to-one
        "referrals.Referral.case",
    } <= found


def test_every_registered_relation_names_a_real_field() -> None:
    for relation in merge.relations():
        field = relation.model._meta.get_field(relation.field)
        assert field.concrete or field.many_to_many, relation.key
        assert relation.handler is not None or relation.why


# --- A merge moves the work ---------------------------------------------------------


@pytest.fixture
def jayde(kingsmere, amira):
    """A duplicate record for Jade, opened by mistake."""
    return YoungPersonFactory(
        legal_first_name="Jayde", legal_last_name="Morgan", area=kingsmere, created_by=amira
    )


@pytest.fixture
def jaydes_case(jayde, ben, sara):
    """Ben leads the duplicate's open case; Sara is in its team."""
    case = CaseFactory(young_person=jayde, lead_professional=ben)
    CaseMember.objects.create(case=case, user=sara, role="School DSL", added_by=ben)
    return case


def _meeting(area, chair) -> Meeting:
    starts = timezone.now() - timedelta(days=2)
    return Meeting.objects.create(
        kind="strategy",
        area=area,
        starts_at=starts,
        chair=chair,
        created_by=chair,
        record_due_at=starts + timedelta(days=1),
    )


def test_a_merge_moves_everything_about_the_child(
    jade, jades_case, jayde, jaydes_case, jo, amira, ben, kingsmere
) -> None:
    action = Action.objects.create(
        young_person=jayde,
        description="Visit at school",
        owner=amira,
        owner_agency=amira.agency,
        due_on=timezone.localdate() - timedelta(days=3),
        created_by=amira,
    )
    meeting = _meeting(kingsmere, jo)
    subject = MeetingSubject.objects.create(meeting=meeting, young_person=jayde, minutes="Seen")
    distribution = Distribution.objects.create(meeting=meeting, recipient=amira, sent_by=jo)
    distribution.young_people.add(jayde)
    plan = Plan.objects.create(case=jaydes_case)
    note = core.case_note_add(
        by=verified(ben), case=jaydes_case, note_type="other", text="Spoke to the school"
    )
    episode = record_returned_episode(by=jo, young_person=jayde, days_ago=5)
    place = Location.objects.create(name="The arcade", kind="shops", area=kingsmere, created_by=jo)
    link = ContextLink.objects.create(
        kind="yp_location",
        young_person=jayde,
        location=place,
        source="Police patrol",
        source_grading="1",
        information_grading="A",
        created_by=jo,
    )
    friend = YoungPersonFactory(area=kingsmere, created_by=amira)
    friends_link = ContextLink.objects.create(
        kind="yp_yp",
        young_person=friend,
        other_young_person=jayde,
        source="School",
        source_grading="2",
        information_grading="B",
        created_by=jo,
    )
    alias = Alias.objects.create(young_person=jayde, name="Jay")
    now = timezone.now()
    supervision.flags_sweep(now=now, kinds=["action", "return_interview"])
    flags = list(Flag.objects.filter(young_person=jayde, resolved_at__isnull=True))
    assert {f.kind for f in flags} == {"action", "return_interview"}

    core.young_people_merge(by=verified(jo), keep=jade, duplicate=jayde, reason="Same girl")

    action.refresh_from_db()
    subject.refresh_from_db()
    note.refresh_from_db()
    episode.refresh_from_db()
    link.refresh_from_db()
    friends_link.refresh_from_db()
    alias.refresh_from_db()
    jaydes_case.refresh_from_db()
    plan.refresh_from_db()
    assert action.young_person == jade
    assert subject.young_person == jade
    assert list(distribution.young_people.all()) == [jade]
    assert note.young_person == jade
    assert episode.young_person == jade
    assert link.young_person == jade
    assert friends_link.other_young_person == jade
    assert alias.young_person == jade
    # One open case per young person: the duplicate's closes, its team joins
    # the case kept, and its plan (the case kept had none) carries on there.
    assert jaydes_case.young_person == jade
    assert jaydes_case.status == CaseStatus.CLOSED
    # The reports count it apart: a merge ends no piece of work.
    assert jaydes_case.closure_category == ClosureCategory.DUPLICATE
    assert plan.case == jades_case
    assert set(
        jades_case.members.filter(removed_at__isnull=True).values_list("user__username", flat=True)
    ) >= {ben.username, "sara"}
    for flag in Flag.objects.filter(pk__in=[f.pk for f in flags]):
        assert (flag.young_person, flag.area) == (jade, kingsmere)
    assert not Flag.objects.filter(young_person=jayde).exists()
    # One audit row per kind moved, with how many.
    moved: dict[str, int] = {}
    for event in AuditEvent.objects.filter(action=AuditAction.MERGE, young_person_id=jade.pk):
        if "count" in event.fields_changed:
            moved[event.object_type] = (
                moved.get(event.object_type, 0) + event.fields_changed["count"]
            )
    assert moved == {
        "action": 1,
        "meetingsubject": 1,
        "distribution_young_people": 1,
        "case": 1,
        "casenote": 1,
        "missingepisode": 1,
        "contextlink": 2,
        "alias": 1,
        "flag": 2,
        "plan": 1,
    }


def test_after_a_merge_the_sweep_gives_moved_flags_the_kept_records_owner(
    jade, jades_case, jayde, jaydes_case, jo, amira, kingsmere_team
) -> None:
    episode = record_returned_episode(by=jo, young_person=jayde, days_ago=5)
    now = timezone.now()
    supervision.flags_sweep(now=now, kinds=["return_interview"])
    flag = Flag.objects.get(subject_id=episode.pk, resolved_at__isnull=True)
    assert flag.owner_id == jaydes_case.lead_professional_id

    core.young_people_merge(by=verified(jo), keep=jade, duplicate=jayde, reason="Same girl")
    supervision.flags_sweep(now=now, kinds=["return_interview"])

    flag.refresh_from_db()
    assert flag.resolved_at is None  # the same flag, not a new one
    assert (flag.young_person, flag.owner, flag.team) == (jade, amira, kingsmere_team)


def test_a_duplicates_open_case_stays_open_when_the_kept_record_has_none(
    jade, jayde, jaydes_case, jo, afon_valley
) -> None:
    YoungPerson.objects.filter(pk=jade.pk).update(area=afon_valley)
    jade.refresh_from_db()
    core.young_people_merge(by=verified(jo), keep=jade, duplicate=jayde, reason="Same girl")
    jaydes_case.refresh_from_db()
    assert (jaydes_case.young_person, jaydes_case.status) == (jade, CaseStatus.OPEN)
    assert jaydes_case.area == afon_valley  # an open case's district is its child's


def test_a_meeting_that_discussed_both_records_keeps_both_minutes(
    jade, jades_case, jayde, jo, kingsmere
) -> None:
    """One subject per child per meeting: the kept record's stays the meeting's
    record of her; the duplicate's minutes are not rewritten or deleted."""
    meeting = _meeting(kingsmere, jo)
    kept = MeetingSubject.objects.create(meeting=meeting, young_person=jade, minutes="A")
    other = MeetingSubject.objects.create(meeting=meeting, young_person=jayde, minutes="B")
    elsewhere = MeetingSubject.objects.create(meeting=_meeting(kingsmere, jo), young_person=jayde)
    core.young_people_merge(by=verified(jo), keep=jade, duplicate=jayde, reason="Same girl")
    assert MeetingSubject.objects.get(pk=kept.pk).minutes == "A"
    assert MeetingSubject.objects.get(pk=other.pk).minutes == "B"
    assert MeetingSubject.objects.get(pk=elsewhere.pk).young_person == jade


def test_a_refused_merge_moves_nothing(jade, jades_case, jayde, jo, amira) -> None:
    action = Action.objects.create(
        young_person=jayde,
        description="Visit",
        owner=amira,
        owner_agency=amira.agency,
        due_on=timezone.localdate(),
        created_by=amira,
    )
    now = timezone.now()
    for young_person, police_reference, hours_ago in ((jayde, "MP/1", 50), (jade, "MP/2", 48)):
        MissingEpisode.objects.create(
            young_person=young_person,
            last_seen_at=now - timedelta(hours=hours_ago),
            reported_at=now - timedelta(hours=hours_ago - 1),
            returned_at=now - timedelta(hours=30),
            risk_grading="medium",
            missing_or_absent="missing",
            missing_from="home",
            police_reference=police_reference,
            recorded_by=amira,
        )
    with pytest.raises(core.RecordError, match="overlapping"):
        core.young_people_merge(by=verified(jo), keep=jade, duplicate=jayde, reason="Same girl")
    action.refresh_from_db()
    assert action.young_person == jayde


# --- Work in progress on the duplicate's case carries on ----------------------------


def test_an_assessment_in_progress_on_the_duplicates_case_carries_on_on_the_case_kept(
    jade, jades_case, jayde, jaydes_case, jo, ben, template
) -> None:
    """The duplicate's case closes into the kept one; an assessment still being
    written there would be stranded on a closed case, where nobody can finish it."""
    draft = Assessment.objects.create(case=jaydes_case, template=template, author=ben)
    done = Assessment.objects.create(
        case=jaydes_case,
        template=template,
        author=ben,
        status=AssessmentStatus.SIGNED_OFF,
        judged_level="medium",
        submitted_by=ben,
        signed_off_by=jo,
        signed_off_at=timezone.now(),
        next_review_on=timezone.localdate() + timedelta(days=90),
    )

    merged = core.young_people_merge(by=verified(jo), keep=jade, duplicate=jayde, reason="Same")

    draft.refresh_from_db()
    done.refresh_from_db()
    assert draft.case == jades_case
    assert done.case == jaydes_case  # closed work stays with the case it was done on
    assert merged.left == []
    assert AuditEvent.objects.filter(
        action=AuditAction.MERGE, object_type="assessment", young_person_id=jade.pk
    ).exists()


def test_when_both_cases_have_work_in_progress_the_merge_says_what_stayed(
    jade, jades_case, jayde, jaydes_case, jo, amira, ben, template
) -> None:
    kept_assessment = Assessment.objects.create(case=jades_case, template=template, author=amira)
    duplicates = Assessment.objects.create(case=jaydes_case, template=template, author=ben)
    kept_plan = Plan.objects.create(case=jades_case)
    duplicates_plan = Plan.objects.create(case=jaydes_case)

    merged = core.young_people_merge(by=verified(jo), keep=jade, duplicate=jayde, reason="Same")

    for row, case in (
        (kept_assessment, jades_case),
        (duplicates, jaydes_case),
        (kept_plan, jades_case),
        (duplicates_plan, jaydes_case),
    ):
        row.refresh_from_db()
        assert row.case == case
    assert len(merged.left) == 2
    assert "assessment in progress" in merged.left[0]
    assert "plan" in merged.left[1]
    # ... and the audit row of the merge says it too.
    detail = AuditEvent.objects.get(
        action=AuditAction.MERGE, young_person_id=jade.pk, object_type="youngperson"
    ).detail
    assert "stays on that closed case" in detail


def test_the_merge_page_tells_the_cse_lead_what_stayed(
    sign_in, jade, jades_case, jayde, jaydes_case, jo, amira, ben, template
) -> None:
    Assessment.objects.create(case=jades_case, template=template, author=amira)
    Assessment.objects.create(case=jaydes_case, template=template, author=ben)
    client = sign_in(jo)
    response = client.post(
        f"/young-people/{jayde.pk}/merge/",
        {"keep": str(jade.pk), "reason": "Same girl"},
        follow=True,
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Record {jayde.pk} merged into this one." in page
    assert "stays on that closed case" in page


def test_a_note_being_typed_on_the_duplicate_is_offered_on_the_record_kept(
    jade, jades_case, jayde, jaydes_case, jo, amira, ben
) -> None:
    Draft.objects.create(user=ben, form_key=f"note-new:{jayde.pk}", data={"text": "Ben's visit"})
    Draft.objects.create(user=amira, form_key=f"note-new:{jayde.pk}", data={"text": "Second"})
    Draft.objects.create(
        user=amira,
        form_key=f"note-new:{jade.pk}",
        data={"text": "First", "young_persons_words": "I'm ok"},
    )

    core.young_people_merge(by=verified(jo), keep=jade, duplicate=jayde, reason="Same")

    assert not Draft.objects.filter(form_key=f"note-new:{jayde.pk}").exists()
    assert Draft.objects.get(user=ben, form_key=f"note-new:{jade.pk}").data == {
        "text": "Ben's visit"
    }
    joined = Draft.objects.get(user=amira, form_key=f"note-new:{jade.pk}").data
    assert joined["text"] == "First\n\nSecond"  # nothing either draft held is lost
    assert joined["young_persons_words"] == "I'm ok"


def test_the_merge_pages_error_links_to_the_field_it_is_about(
    sign_in, jade, jades_case, jayde, jo
) -> None:
    client = sign_in(jo)
    url = f"/young-people/{jayde.pk}/merge/"
    page = client.post(url, {"keep": str(jade.pk), "reason": "  "}).content.decode()
    assert '<a href="#reason">Give the reason for merging</a>' in page
    assert 'id="reason-error"' in page
    assert 'value="' + str(jade.pk) + '"' in page  # what was typed stays
    page = client.post(url, {"keep": "x", "reason": "Same girl"}).content.decode()
    assert '<a href="#keep">Enter the number of a record you can see, to keep</a>' in page
    assert "Same girl</textarea>" in page
