"""The demo caseload: every area has real work at every stage, for every role,
on a first `make run`; idempotent, fictional, and in the language the
application asks of its users.

The demo is seeded once for the module (about half a minute), on an ordinary
Tuesday, inside a transaction rolled back at the end; each test runs in a
savepoint inside it.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from importlib import import_module
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import connection, models, transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.language import rules as language
from assessments.models import Action, Assessment, Meeting, MeetingSubject, Plan, PlanVersion
from assessments.risk.selectors import current_template
from cse_cases.models import (
    AccountChangeRequest,
    Agency,
    AgencyKind,
    Area,
    AuditEvent,
    BreakGlassGrant,
    Case,
    CaseMember,
    CaseNote,
    ContextLink,
    Location,
    MissingEpisode,
    Nation,
    PersonOfConcern,
    PossibleDuplicate,
    ReturnInterview,
    Role,
    Team,
    User,
    YoungPerson,
)
from cse_cases.wiring import demo as partnership
from referrals.models import MeetingRequest, Referral
from supervision import engine
from supervision.models import Flag, SweepRun
from tests.conftest import signed_in_client

pytestmark = pytest.mark.django_db

TUESDAY = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/London"))
AREA_NAMES = [name for name, _, _ in partnership.AREAS]
AREAS = [partnership.username("x", name).split(".")[1] for name in AREA_NAMES]
# Every model of Harbour's apps, for the checks that cover all seeded rows.
APPS = {"cse_cases", "referrals", "assessments", "supervision", "reports"}


def harbour_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m._meta.app_label in APPS]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module; yields what seed_demo printed."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(TUESDAY),
        transaction.atomic(),
        override_settings(DEBUG=True),
    ):
        if current_template() is None:
            # A browser test's flush removes the template a migration loads.
            import_module("assessments.migrations.0002_default_template").load(apps, None)
        out = StringIO()
        call_command("seed_demo", stdout=out)
        # The planner's statistics are whatever autovacuum last saw: after a
        # browser test's flush, near-empty tables, and a meeting page's people
        # picker then ran for minutes on nested loops. ANALYZE inside the
        # transaction counts the rows it inserted, as a real seed's would be.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        yield out.getvalue()
        transaction.set_rollback(True)


def user(username: str) -> User:
    return User.objects.get(username=username)


def page_text(response) -> str:
    assert response.status_code == 200, response.status_code
    main = re.search(r"<main.*?</main>", response.content.decode(), re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main.group(0)))


# --- The partnership -------------------------------------------------------------------


def test_every_role_in_every_area(seeded) -> None:
    assert set(Area.objects.values_list("nation", flat=True)) == set(Nation.values)
    assert set(Agency.objects.values_list("kind", flat=True)) == set(AgencyKind.values)
    for area in Area.objects.all():
        roles = set(User.objects.filter(areas=area).values_list("role", flat=True))
        assert roles == set(Role.values), area
    assert Team.objects.filter(supervisor__isnull=False).count() == Area.objects.count()
    demo_accounts = User.objects.filter(is_demo=True)
    assert TOTPDevice.objects.filter(confirmed=True, user__in=demo_accounts).count() == (
        demo_accounts.count()
    )
    assert "practitioner.kingsmere" in seeded
    assert "harbour-demo-only" in seeded
    assert "police, school, nurse, charity, youthjustice" in seeded


def test_demo_code_prints_the_current_code(seeded, settings, capsys) -> None:
    settings.DEBUG = True
    call_command("demo_code", "practitioner.kingsmere")
    device = TOTPDevice.objects.get(user__username="practitioner.kingsmere")
    assert capsys.readouterr().out.strip() == f"{totp(device.bin_key):06d}"


# --- Every area's caseload ------------------------------------------------------------


@pytest.mark.parametrize("area", AREA_NAMES)
def test_every_area_has_a_caseload_from_several_agencies(seeded, area) -> None:
    young_people = YoungPerson.objects.filter(area__name=area)
    assert young_people.count() >= 30
    # Every young person has a case; most are open, a few closed.
    assert not young_people.filter(cases__isnull=True).exists()
    cases = Case.objects.filter(area__name=area)
    assert cases.filter(status="open").count() >= 30
    assert cases.filter(status="closed").count() >= 1
    # Each closed with the category its reason gives, as the reports count it.
    assert not cases.filter(status="closed", closure_category="not_recorded").exists()
    # Lead professionals and teams around the child from several agencies.
    assert cases.values("lead_agency__kind").distinct().count() >= 3
    members = CaseMember.objects.filter(case__area__name=area)
    assert members.values("user__agency__kind").distinct().count() >= 4
    # (But the record a police officer made at night, which may repeat one.)
    alone = cases.filter(status="open", members__isnull=True)
    assert not alone.exclude(young_person__possible_duplicates__isnull=False).exists()
    assert CaseNote.objects.filter(case__area__name=area).count() >= 100
    assert CaseNote.objects.filter(case__area__name=area).values("author").distinct().count() >= 5


@pytest.mark.parametrize("area", AREA_NAMES)
def test_every_area_has_missing_episodes_and_return_interviews(seeded, area) -> None:
    episodes = MissingEpisode.objects.filter(young_person__area__name=area)
    assert episodes.count() >= 15
    assert episodes.filter(returned_at__isnull=True).count() == 1  # missing now
    interviews = ReturnInterview.objects.filter(episode__young_person__area__name=area)
    assert interviews.filter(outcome="held").count() >= 8
    assert interviews.filter(outcome="declined").exists()
    # Returned over 72 hours ago with no interview: the engine flags them.
    overdue = Flag.objects.filter(
        kind="return_interview", area__name=area, resolved_at__isnull=True
    )
    assert overdue.count() >= 2


@pytest.mark.parametrize("area", AREA_NAMES)
def test_every_area_has_assessments_at_every_stage(seeded, area) -> None:
    assessments = Assessment.objects.filter(case__area__name=area)
    by_status = Counter(assessments.values_list("status", flat=True))
    assert by_status["signed_off"] >= 10
    assert by_status["submitted"] >= 3
    assert by_status["returned"] >= 1
    drafts = assessments.filter(status="draft")
    # In progress (answers and views written) and just started (nothing yet).
    assert drafts.filter(answers__isnull=False).distinct().count() >= 2
    assert drafts.filter(answers__isnull=True).count() >= 2
    decided = set(assessments.filter(status="signed_off").values_list("judged_level", flat=True))
    assert decided == {"low", "medium", "high"}
    # A trajectory: a case assessed twice.
    twice = Counter(assessments.filter(status="signed_off").values_list("case", flat=True))
    assert max(twice.values()) >= 2
    # Some cases have no assessment yet (new this month).
    assert Case.objects.filter(area__name=area, status="open", assessments__isnull=True).exists()


@pytest.mark.parametrize("area", AREA_NAMES)
def test_every_area_has_a_held_and_a_scheduled_meeting_with_actions(seeded, area) -> None:
    meetings = Meeting.objects.filter(area__name=area)
    held = meetings.get(status="held")
    assert held.starts_at < timezone.now()
    assert held.record_distributed_at is not None
    assert held.participants.filter(attendance="attended").count() >= 4
    assert MeetingSubject.objects.filter(meeting=held).exclude(minutes="").count() >= 2
    actions = Action.objects.filter(meeting=held)
    assert actions.filter(status="done").exists()
    assert actions.filter(status="open", due_on__lt=timezone.localdate()).exists()
    assert actions.filter(status="open", due_on__gte=timezone.localdate()).exists()
    scheduled = meetings.filter(status="scheduled")
    assert scheduled.count() >= 1
    assert all(m.starts_at > timezone.now() for m in scheduled)
    assert scheduled.filter(kind="mace_panel", locations__isnull=False).exists()
    # The strategy discussion a referral decision asked for is scheduled.
    assert MeetingRequest.objects.filter(area__name=area, status="scheduled").exists()


@pytest.mark.parametrize("area", AREA_NAMES)
def test_every_area_has_see_me_hear_me_plans(seeded, area) -> None:
    plans = Plan.objects.filter(case__area__name=area)
    assert plans.count() >= 6
    versions = PlanVersion.objects.filter(plan__case__area__name=area)
    assert versions.filter(number=2).exists()
    assert versions.filter(is_current=True).exclude(transition="").exists()
    assert versions.filter(is_current=True).count() == plans.count()


@pytest.mark.parametrize("area", AREA_NAMES)
def test_every_area_has_referrals_at_every_stage(seeded, area) -> None:
    referrals = Referral.objects.filter(area__name=area)
    assert referrals.filter(status="received").count() >= 3
    assert referrals.filter(status="received", identity_unknown=True).exists()
    assert referrals.filter(status="received", urgency="urgent").exists()
    assert referrals.filter(status="screening", assigned_to__isnull=False).exists()
    decided = referrals.filter(status="decided")
    assert decided.filter(decision="cse_assessment", case__isnull=False).count() >= 3
    assert decided.filter(decision="strategy_discussion").exists()
    assert decided.filter(decision="no_further_action").exclude(advice_given="").exists()
    # A referral's screened risk is its new case's first risk level.
    new_case = decided.filter(decision="cse_assessment").first().case
    assert new_case.risk_history.filter(source="screening").exists()


@pytest.mark.parametrize("area", AREA_NAMES)
def test_every_area_has_persons_of_concern_places_and_links(seeded, area) -> None:
    assert PersonOfConcern.objects.filter(area__name=area, restricted=True).count() >= 3
    assert Location.objects.filter(area__name=area).count() >= 4
    links = ContextLink.objects.filter(
        models.Q(young_person__area__name=area) | models.Q(location__area__name=area)
    )
    kinds = set(links.values_list("kind", flat=True))
    assert kinds == {"yp_person", "yp_yp", "yp_location", "person_location"}
    assert links.filter(person__isnull=False, restricted=False).count() == 0


@pytest.mark.parametrize("area", AREA_NAMES)
def test_every_area_has_open_flags_raised_by_the_sweep(seeded, area) -> None:
    flags = Flag.objects.filter(area__name=area, resolved_at__isnull=True)
    kinds = set(flags.values_list("kind", flat=True))
    assert len(kinds) >= 6, kinds
    assert flags.filter(escalation__gt=0).exists()
    assert flags.filter(owner=user(partnership.username("practitioner", area))).exists()


def test_the_flags_are_the_engines_own(seeded) -> None:
    """The first sweep finished at the end of seeding, and sweeping again
    changes nothing: no flag was invented."""
    assert SweepRun.objects.filter(every_rule=True, finished_at__isnull=False).exists()
    results = engine.sweep(now=timezone.now())
    assert sum(r.raised + r.updated + r.resolved for r in results) == 0


# --- Made the way real work is made ------------------------------------------------------


def test_the_same_sign_ins_and_nothing_new_the_second_time(seeded, settings) -> None:
    settings.DEBUG = True
    counts = {m: m.objects.count() for m in harbour_models()}
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo partnership ready (0 records added)." in out.getvalue()
    assert "Demo caseload already in place (nothing added)." in out.getvalue()
    assert {m: m.objects.count() for m in harbour_models()} == counts


def test_more_young_people_can_still_be_asked_for(seeded, settings) -> None:
    settings.DEBUG = True
    wanted = YoungPerson.objects.count() + 20
    call_command("seed_demo", "--young-people", str(wanted), stdout=StringIO())
    assert YoungPerson.objects.count() == wanted


@pytest.mark.time_machine(TUESDAY)
@pytest.mark.parametrize("area", AREA_NAMES)
def test_every_team_has_loads_one_over_capacity_and_one_supervision_overdue(seeded, area) -> None:
    from supervision.caseloads import selectors as caseloads
    from supervision.models import SupervisionSession

    team = Team.objects.filter(supervisor__isnull=False, members__areas__name=area).distinct().get()
    now = timezone.now()
    workers = User.objects.filter(team=team, worker_profile__isnull=False)
    loads = [
        caseloads.load_of(w)
        for w in caseloads.worker_loads(caseloads.current_scheme(), workers, now.date(), now)
    ]
    assert len(loads) >= 3
    assert sum(load.over for load in loads) == 1
    assert len({load.percent for load in loads}) == len(loads)
    last = (
        SupervisionSession.objects.filter(worker__team=team)
        .values("worker")
        .annotate(last=models.Max("held_on"))
    )
    assert sum((timezone.localdate(now) - row["last"]).days > 31 for row in last) == 1


def test_every_seeded_text_passes_the_language_check(seeded) -> None:
    """Every text and character field of every row: notes, interviews,
    assessments, minutes, plans, referrals, intelligence, audit reasons."""
    checked, found = 0, []
    for model in harbour_models():
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.TextField, models.CharField))
        ]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            for name, value in zip(fields, row, strict=True):
                if value:
                    checked += 1
                    found += [
                        (model.__name__, name, f.phrase, value[max(0, f.start - 80) : f.end + 40])
                        for f in language.check(value)
                    ]
    assert checked > 20_000
    assert not found, "\n".join(sorted(set(map(str, found)))[:40])


def foreign_keys_point_at_rows(model: type[models.Model]) -> list[str]:
    """What full_clean asks of each row's foreign keys (a value where one is
    required, a row it points at), asked of the whole table at once: one query
    a key rather than one a row. The seed's transaction never commits, so the
    database's deferred foreign-key checks never run. Returns the keys checked."""
    keys = [f for f in model._meta.concrete_fields if f.many_to_one or f.one_to_one]
    for key in keys:
        # No key limits its choices (limit_choices_to): existence is the rule.
        assert not key.remote_field.limit_choices_to, key
        values = model.objects.values_list(key.attname, flat=True)
        if not key.blank:
            assert not values.filter(**{f"{key.attname}__isnull": True}).exists(), key
        target = key.target_field.attname
        pointed_at = set(values.exclude(**{f"{key.attname}__isnull": True}))
        found = set(
            key.related_model._base_manager.filter(**{f"{target}__in": pointed_at}).values_list(
                target, flat=True
            )
        )
        assert pointed_at == found, (key, sorted(pointed_at - found)[:5])
    return [key.name for key in keys]


def test_bulk_written_rows_pass_the_models_validation(seeded) -> None:
    """full_clean, step by step: the keys are checked a table at a time, and
    uniqueness and constraints are checked on every field, keys included
    (full_clean(exclude=...) would pass over the constraints naming a key)."""
    for model in (YoungPerson, Case, MissingEpisode, ReturnInterview, ContextLink):
        keys = foreign_keys_point_at_rows(model)
        for row in model.objects.all():
            row.clean_fields(exclude=keys)
            row.clean()
            row.validate_unique()
            row.validate_constraints()
    for model in (CaseNote, CaseMember, PlanVersion):
        keys = foreign_keys_point_at_rows(model)
        for row in model.objects.all():
            row.clean_fields(exclude=keys)
            row.clean()


def test_every_record_has_its_audit_rows(seeded) -> None:
    """As the services would have written them: who created each record, on
    the child's trail."""
    for model in (YoungPerson, Case, CaseNote, MissingEpisode, ReturnInterview, Assessment):
        made = set(model.objects.values_list("pk", flat=True))
        audited = set(
            AuditEvent.objects.filter(
                object_type=model._meta.model_name, action="create"
            ).values_list("object_id", flat=True)
        )
        assert made <= audited, model
    for young_person in YoungPerson.objects.all():
        assert AuditEvent.objects.filter(young_person_id=young_person.pk).count() >= 3


def test_names_are_fictional(seeded) -> None:
    from cse_cases.wiring.demo import words

    surnames = set(YoungPerson.objects.values_list("legal_last_name", flat=True))
    invented = set(words.SURNAMES) | {name + "e" for name in words.SURNAMES}
    invented |= {name.removesuffix("e") for name in words.SURNAMES}
    assert surnames <= invented
    # Every phone number is in Ofcom's range for drama.
    phones = [
        p for ps in PersonOfConcern.objects.values_list("phone_numbers", flat=True) for p in ps
    ]
    assert phones
    assert all(p.startswith("07700 900") for p in phones)
    # NHS numbers from the test range.
    assert all(
        n.startswith("999")
        for n in YoungPerson.objects.exclude(nhs_number="").values_list("nhs_number", flat=True)
    )


# --- Every role's pages show work on first sign-in ---------------------------------------


@pytest.mark.parametrize("area", AREAS)
def test_the_practitioner_sees_their_work(seeded, area) -> None:
    client = signed_in_client(user(f"practitioner.{area}"))
    home = page_text(client.get("/"))
    assert "To complete" in home
    my_work = page_text(client.get("/my-work/"))
    assert "Nothing overdue" not in my_work
    assert "Not yet checked" not in my_work
    assert "No open actions." not in my_work
    assert "Actions due" in my_work


@pytest.mark.parametrize("area", AREAS)
def test_the_supervisor_sees_their_teams_work(seeded, area) -> None:
    client = signed_in_client(user(f"supervisor.{area}"))
    home = page_text(client.get("/"))
    assert "Waiting for your sign-off" in home
    team = page_text(client.get("/team/flags/"))
    assert "No open flags." not in team
    assert team.count("Repeat missing") + team.count("No recorded contact") >= 1
    my_work = page_text(client.get("/my-work/"))
    assert "Escalated to the supervisor" in my_work


@pytest.mark.parametrize("area", AREAS)
def test_the_cse_lead_sees_referrals_sign_offs_and_duplicates(seeded, area) -> None:
    client = signed_in_client(user(f"cselead.{area}"))
    home = page_text(client.get("/"))
    assert "waiting for a decision in your area" in home
    assert "Waiting for your sign-off" in home
    assert "None waiting." not in home  # a possible duplicate to check
    queue = page_text(client.get("/referrals/queue/"))
    assert re.search(r"\b[4-9] referrals awaiting a decision", queue), queue[:300]
    team = page_text(client.get("/team/flags/"))
    assert "No open flags." not in team
    meetings = page_text(client.get("/meetings/"))
    assert "MACE panel" in meetings
    assert "CSE strategy meeting" in meetings


@pytest.mark.parametrize("area", AREAS)
def test_information_governance_has_access_to_review_and_trails(seeded, area) -> None:
    officer = user(f"ig.{area}")
    client = signed_in_client(officer)
    home = page_text(client.get("/"))
    assert "1 use of emergency access waiting for review" in home
    assert "account change waiting for a second person" in home
    grant = BreakGlassGrant.objects.filter(case__area__in=officer.areas.all()).first()
    trail = page_text(client.get(f"/audit/young-people/{grant.case.young_person_id}/"))
    assert "Emergency access" in trail
    assert "Created" in trail


@pytest.mark.parametrize("area", AREAS)
def test_the_administrator_has_an_account_to_approve(seeded, area) -> None:
    client = signed_in_client(user(f"admin.{area}"))
    home = page_text(client.get("/"))
    assert "account changes waiting for a second person" in home
    assert AccountChangeRequest.objects.filter(status="pending").count() == len(AREAS)


def test_every_record_page_of_an_area_opens_for_its_cse_lead(seeded) -> None:
    lead = user("cselead.glenmuir")
    client = signed_in_client(lead)
    opened = set()
    for young_person in YoungPerson.objects.filter(area__in=lead.areas.all()):
        assert client.get(f"/young-people/{young_person.pk}/").status_code == 200
        opened.add(young_person.pk)
    for assessment in Assessment.objects.filter(case__area__in=lead.areas.all()):
        assert client.get(f"/assessments/{assessment.pk}/").status_code == 200
    for meeting in Meeting.objects.filter(area__in=lead.areas.all()):
        assert client.get(f"/meetings/{meeting.pk}/").status_code == 200
    # The records a possible duplicate points at (those not opened above).
    for duplicate in PossibleDuplicate.objects.filter(young_person__area__in=lead.areas.all()):
        if duplicate.match_id not in opened:
            assert client.get(f"/young-people/{duplicate.match_id}/").status_code == 200
