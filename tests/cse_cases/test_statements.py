"""The record page's statements are compiled once per reader and reused
(cse_cases/statements.py): reused, each answers exactly what a fresh build
answers, for every record and every reader; a statement that cannot be reused
safely is built every time."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import JSONField, Value
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.risk import services as assessment_services
from assessments.risk.selectors import case_assessments
from cse_cases import audit, selectors, services, statements
from cse_cases.forms import QuickSelect
from cse_cases.models import (
    AgencyKind,
    AuditAction,
    Case,
    CaseMember,
    ContextLink,
    Location,
    MissingEpisode,
    User,
    YoungPerson,
)
from tests.conftest import verified
from tests.factories import CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_kept():
    statements.forget()
    yield
    statements.forget()


def page_of(user, young_person: YoungPerson) -> dict:
    """What the record page reads, as plain values to compare."""
    try:
        record = selectors.record_page(user, young_person.pk)
    except Http404:
        return {"not found": young_person.pk}
    trail = selectors.record_audit(user, record)
    return {
        "record": (record.pk, record.legal_first_name, record.area.name, record.alias_names),
        "review": record.open_missing_review,
        "cases": [
            (
                case.pk,
                case.status,
                case.lead_professional.username,
                case.lead_count,
                [
                    (member.user.username, member.user.agency.name, member.role, member.added_at)
                    for member in case.active_members
                ],
                [(c.level, c.decided_at, str(c.decided_by)) for c in case.risk_changes],
                [grant["reason"] for grant in case.emergency_grants_json],
            )
            for case in record.visible_cases
        ],
        "missing": [e.pk for e in selectors.missing_summary(user, record)["episodes"]],
        "links": [link.pk for link in selectors.record_links(user, record)],
        "audit": None if trail is None else [(v.username, v.views) for v in trail.viewers],
        "history": None if trail is None else [e.action for e in trail.history],
    }


def missing(young_person: YoungPerson, by) -> MissingEpisode:
    last_seen = timezone.now() - timedelta(days=2)
    return MissingEpisode.objects.create(
        young_person=young_person,
        last_seen_at=last_seen,
        reported_at=last_seen + timedelta(hours=1),
        missing_from="home",
        recorded_by=by,
    )


def fresh(user, young_person: YoungPerson):
    statements.forget()
    statements._ran_queries.clear()
    try:
        return page_of(user, young_person)
    finally:
        statements.forget()


def test_the_record_page_from_kept_statements_reads_as_a_fresh_build(
    jade, jades_case, amira, grace, jo, kingsmere
) -> None:
    other = YoungPersonFactory(area=kingsmere, created_by=amira)
    others_case = CaseFactory(young_person=other, area=kingsmere, lead_professional=amira)
    CaseMember.objects.create(case=others_case, user=jo, role="CSE lead", added_by=amira)
    services.case_risk_set(by=verified(amira), case=jades_case, level="high", rationale="Seen")
    missing(jade, amira)
    for viewer in (amira, grace, grace):
        audit.record(user=viewer, action=AuditAction.VIEW, obj=jade, young_person_id=jade.pk)
    for reader in (amira, grace, jo):
        reader = verified(reader)
        expected = {yp.pk: fresh(reader, yp) for yp in (jade, other)}
        for _ in range(3):  # the first builds may fill caches (content types)
            for young_person in (jade, other):
                assert page_of(reader, young_person) == expected[young_person.pk]
        kept = {key[1][0] for key, plan in statements._plans.items() if plan is not None}
        assert {"record", "record cases", "record missing", "record links"} <= kept
    # Each record's own: the other child's team, not Jade's; Jade's viewers.
    assert [member[0] for member in page_of(verified(amira), other)["cases"][0][4]] == ["jo"]
    assert page_of(verified(jo), jade)["audit"] == [("grace", 2), ("amira", 1)]
    # Grace, on Jade's team only, never sees the other child.
    assert page_of(verified(grace), other) == {"not found": other.pk}


def test_a_kept_statement_is_never_used_for_another_reader(jade, jades_case, amira, ben) -> None:
    for _ in range(3):
        assert selectors.record_page(verified(amira), jade.pk).visible_cases
        with pytest.raises(Http404):
            selectors.record_page(verified(ben), jade.pk)
    # Ben joins the team: he sees the record at once, through his own statements.
    services.case_member_add(by=verified(amira), case=jades_case, user=ben, role="Police")
    assert [c.pk for c in selectors.record_page(verified(ben), jade.pk).visible_cases] == [
        jades_case.pk
    ]


def test_statements_built_from_a_case_id_answer_for_each_case(
    jade, jades_case, amira, kingsmere, template
) -> None:
    other = YoungPersonFactory(area=kingsmere, created_by=amira)
    others_case = CaseFactory(young_person=other, area=kingsmere, lead_professional=amira)
    reader = verified(amira)
    assessment = assessment_services.assessment_start(by=reader, case=others_case)
    for _ in range(3):
        assert case_assessments(reader, jades_case).assessments == []
        assert case_assessments(reader, others_case).assessments == [assessment]
    (plan,) = statements.kept()
    assert plan.filled


def test_a_statement_holding_another_date_is_built_every_time(jade, amira) -> None:
    since = datetime(2026, 1, 1, tzinfo=timezone.get_current_timezone())
    missing(jade, amira)

    def build(pk: int):
        return MissingEpisode.objects.filter(young_person_id=pk, last_seen_at__gte=since)

    for _ in range(2):
        assert len(statements.reused(None, ("test dated",), build, jade.pk)) == 1
    assert statements.kept() == []


def test_a_statement_with_a_json_value_is_kept(jade, jades_case, amira) -> None:
    """The driver's JSON wrapper compares by identity: it is compared by
    what it wraps, so the statement is kept and answers as built."""

    def build(pk: int):
        return Case.objects.filter(young_person_id=pk).annotate(
            extra=Value({"shown": [1, 2]}, output_field=JSONField())
        )

    for _ in range(2):
        (case,) = statements.reused(None, ("test json",), build, jade.pk)
        assert case.extra == {"shown": [1, 2]}
    (plan,) = statements.kept()
    assert plan.filled == ((plan.params.index(jade.pk), 0),)


def test_the_reader_s_agency_is_part_of_the_key(jade, jades_case, amira, grace, kingsmere):
    """An agency recorded as police and corrected to health: its staff lose
    sight of police intelligence on the next page, though nothing else of
    their account changed (the kind is read from the agency loaded with
    them, as sign-in loads it)."""
    place = Location.objects.create(
        name="The arcade", kind="shops", area=kingsmere, created_by=amira
    )
    link = ContextLink.objects.create(
        kind="yp_location",
        young_person=jade,
        location=place,
        source="Police intelligence",
        source_grading="1",
        information_grading="A",
        created_by=amira,
        restricted=True,
    )
    health = grace.agency

    def as_signed_in():
        return verified(User.objects.select_related("agency").get(pk=grace.pk))

    health.kind = AgencyKind.POLICE
    health.save()
    for _ in range(3):
        assert [kept.pk for kept in selectors.record_links(as_signed_in(), jade)] == [link.pk]
    health.kind = AgencyKind.HEALTH
    health.save()
    assert selectors.record_links(as_signed_in(), jade) == []


def test_a_reader_without_sight_of_records_gets_nothing_not_an_error(jade, priya) -> None:
    for reader in (verified(priya), AnonymousUser()):
        for _ in range(2):
            with pytest.raises(Http404):
                selectors.record_page(reader, jade.pk)
    assert statements.kept() == []


def test_showing_a_kept_statement_runs_no_query(jade, jades_case, amira) -> None:
    for _ in range(2):
        selectors.record_page(verified(amira), jade.pk)
    with CaptureQueriesContext(connection) as queries:
        shown = [repr(plan) for plan in statements.kept()]
    assert shown
    assert len(queries) == 0


@pytest.mark.parametrize("value", ["", "a<b", None, "missing"])
def test_the_quick_select_draws_what_djangos_select_draws(value) -> None:
    choices = [("", "Everything"), ("a<b", 'A & "B"'), ("Group", [("x", "X"), ("y", "<Y>")])]
    attrs = {"id": "id_kind", "required": False, "disabled": True}

    def drawn(widget: type[forms.Select]) -> str:
        html = widget(choices=choices, attrs={"class": "govuk-select"}).render("kind", value, attrs)
        return re.sub(r">\s+<", "><", html.strip())

    assert drawn(QuickSelect) == drawn(forms.Select)
