"""The caseload pages and API as Amira (practitioner), Sam (her supervisor),
Jo (Kingsmere's CSE lead), and outsiders."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cse_cases import chronology
from cse_cases.models import AuditEvent, CaseMember, LeadProfessionalSpell, Role
from supervision.caseloads import continuity, selectors
from supervision.models import CaseAllocation, WeightingScheme, WorkerProfile
from tests.conftest import ORDINARY_TUESDAY, verified
from tests.factories import CaseFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.time_machine(ORDINARY_TUESDAY)]


@pytest.fixture
def kit(kingsmere_social_care, kingsmere_team, kingsmere):
    """Kit, Amira's colleague in Sam's team, with room on her caseload."""
    return UserFactory(
        username="kit",
        first_name="Kit",
        last_name="Lowe",
        role=Role.PRACTITIONER,
        agency=kingsmere_social_care,
        team=kingsmere_team,
        areas=[kingsmere],
    )


def test_your_cases_lists_lead_and_team_member_cases(sign_in, amira, grace, jades_case):
    other = CaseFactory(lead_professional=grace, risk_level="high")
    CaseMember.objects.create(case=other, user=amira, role="Social worker", added_by=grace)
    page = sign_in(amira).get(reverse("my-cases")).content.decode()
    assert "Jade" in page
    assert other.young_person.legal_first_name in page
    assert "Lead professional" in page
    assert "Team member" in page
    led = sign_in(amira).get(reverse("my-cases"), {"role": "lead"}).content.decode()
    assert other.young_person.legal_first_name not in led


def test_your_cases_ignores_unknown_filters(sign_in, amira, jades_case):
    response = sign_in(amira).get(
        reverse("my-cases"), {"sort": "';--", "role": "x" * 5000, "risk": "<b>", "flagged": "2"}
    )
    assert response.status_code == 200
    assert "Jade" in response.content.decode()


@pytest.mark.parametrize("cases", [1, 6])
def test_your_cases_runs_the_same_queries_for_any_number(
    cases, sign_in, amira, django_assert_max_num_queries
):
    for _ in range(cases):
        CaseFactory(lead_professional=amira)
    client = sign_in(amira)
    client.get(reverse("my-cases"))
    with django_assert_max_num_queries(MY_CASES_QUERIES):
        assert client.get(reverse("my-cases")).status_code == 200


MY_CASES_QUERIES = 14
TEAM_QUERIES = 12


@pytest.mark.parametrize("size", [2, 8])
def test_the_team_view_runs_the_same_queries_for_any_team_size(
    size, sign_in, sam, kingsmere_team, kingsmere_social_care, django_assert_max_num_queries
):
    for _ in range(size):
        worker = UserFactory(agency=kingsmere_social_care, team=kingsmere_team)
        CaseFactory(lead_professional=worker)
    client = sign_in(sam)
    client.get(reverse("team-caseloads"))
    with django_assert_max_num_queries(TEAM_QUERIES):
        page = client.get(reverse("team-caseloads")).content.decode()
    assert len(re.findall(r'href="/team/caseloads/\d+/"', page)) == size


def test_the_team_view_shows_an_overloaded_worker(sign_in, sam, amira, jades_case, kit):
    WorkerProfile.objects.create(user=amira, weekly_hours=37, capacity_points=1, updated_by=sam)
    jades_case.risk_level = "high"
    jades_case.save()
    page = sign_in(sam).get(reverse("team-caseloads")).content.decode()
    assert "Amira Bennett" in page
    assert "Kit Lowe" in page
    assert "Over capacity" in page
    assert "3 of 1 points (300%)" in page
    # Names no child.
    assert "Jade" not in page


def test_the_district_view_pages_through_workers_and_filters_by_team(
    sign_in, jo, amira, kit, kingsmere_social_care, kingsmere_team, kingsmere
):
    from supervision.caseloads import views

    other_team = type(kingsmere_team).objects.create(
        name="Missing Team", agency=kingsmere_social_care
    )
    others = [
        UserFactory(agency=kingsmere_social_care, team=other_team, areas=[kingsmere])
        for _ in range(views.TEAM_PAGE_SIZE)
    ]
    client = sign_in(jo)
    first = client.get(reverse("team-caseloads")).content.decode()
    assert "Page 1 of 2" in first
    filtered = client.get(reverse("team-caseloads"), {"team": kingsmere_team.pk}).content.decode()
    assert "Amira Bennett" in filtered
    assert "Kit Lowe" in filtered
    assert others[0].get_full_name() not in filtered
    # A team that is not the reader's, or nonsense, shows every team.
    assert client.get(reverse("team-caseloads"), {"team": "x", "page": "-3"}).status_code == 200


def test_the_cse_lead_sees_the_districts_workers(sign_in, jo, amira, jades_case, tom):
    page = sign_in(jo).get(reverse("team-caseloads")).content.decode()
    assert "Amira Bennett" in page
    assert "Tom" not in page


def test_a_practitioner_has_no_team_view_and_no_colleagues_caseload(sign_in, amira, kit, ben):
    assert sign_in(amira).get(reverse("team-caseloads")).status_code == 404
    assert sign_in(amira).get(reverse("worker-caseload", args=[kit.pk])).status_code == 404
    assert sign_in(ben).get(reverse("worker-caseload", args=[amira.pk])).status_code == 404
    assert sign_in(amira).get("/team/caseloads/abc/").status_code == 404


def test_another_teams_supervisor_gets_404(sign_in, amira, kingsmere_social_care):
    other = UserFactory(role=Role.SUPERVISOR, agency=kingsmere_social_care)
    client = sign_in(other)
    assert client.get(reverse("worker-caseload", args=[amira.pk])).status_code == 404
    assert client.get(reverse("worker-capacity", args=[amira.pk])).status_code == 404


def test_the_breakdown_counts_cases_the_reader_cannot_open(
    sign_in, jo, amira, jades_case, afon_valley
):
    # Amira is also in the team around a child in Afon Valley: Jo (Kingsmere's
    # CSE lead) sees Amira's load but cannot open that child's record.
    hidden = CaseFactory(risk_level="medium", young_person__area=afon_valley)
    CaseMember.objects.create(case=hidden, user=amira, role="x", added_by=amira)
    page = sign_in(jo).get(reverse("worker-caseload", args=[amira.pk])).content.decode()
    assert "Jade" in page
    assert hidden.young_person.legal_first_name not in page
    assert "Risk level (not yet assessed): 1" in page
    assert "1 case you cannot open (0.50 points)" in page


def test_capacity_refuses_zero_and_keeps_what_was_typed(sign_in, sam, amira):
    response = sign_in(sam).post(
        reverse("worker-capacity", args=[amira.pk]),
        {"weekly_hours": "22.5", "capacity_points": "0"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Error:" in page
    assert 'value="22.5"' in page
    assert not WorkerProfile.objects.exists()


def test_capacity_saved_twice_from_the_same_version_is_a_conflict(sign_in, sam, jo, amira):
    url = reverse("worker-capacity", args=[amira.pk])
    sign_in(sam).post(url, {"weekly_hours": "37", "capacity_points": "20"})
    profile = WorkerProfile.objects.get(user=amira)
    first = sign_in(sam).post(url, {"weekly_hours": "30", "capacity_points": "20", "version": "1"})
    assert first.status_code == 302
    second = sign_in(jo).post(url, {"weekly_hours": "20", "capacity_points": "18", "version": "1"})
    assert "Someone else saved this record" in second.content.decode()
    profile.refresh_from_db()
    assert profile.weekly_hours == 30


def allocate(client, case, to, reason="Amira is over capacity", **extra):
    return client.post(
        reverse("case-allocate", args=[case.pk]), {"to_user": to.pk, "reason": reason, **extra}
    )


@pytest.fixture
def jades_lead_spell(jades_case, amira):
    """What case_open records (the factory does not)."""
    return LeadProfessionalSpell.objects.create(case=jades_case, user=amira)


def test_the_allocation_form_shows_loads_after_the_move_and_continuity(
    sign_in, sam, amira, jades_case, kit, jades_lead_spell
):
    page = sign_in(sam).get(reverse("case-allocate", args=[jades_case.pk])).content.decode()
    assert "Kit Lowe" in page
    assert "has had 1 lead professional in the last 12 months" in page
    assert "Not in the team around the child" in page
    # Kit has nothing; after the move she carries Jade's 1 point.
    assert "0 points" in page
    assert "1 points" in page


def test_a_move_to_someone_outside_the_team_asks_first(sign_in, sam, amira, jades_case, kit):
    response = allocate(sign_in(sam), jades_case, kit)
    page = response.content.decode()
    assert response.status_code == 200
    assert "is not in the team around the child" in page
    assert "Amira is over capacity" in page  # what was typed is kept
    jades_case.refresh_from_db()
    assert jades_case.lead_professional == amira


def test_a_move_changes_the_lead_tells_everyone_and_goes_on_the_chronology(
    sign_in, sam, amira, grace, jades_case, kit, run_tasks, jade, jades_lead_spell
):
    with run_tasks():
        response = allocate(sign_in(sam), jades_case, kit, add_to_team="on")
    assert response.status_code == 302
    jades_case.refresh_from_db()
    assert jades_case.lead_professional == kit
    # The old lead stays in the team around the child; the new one has the record.
    members = set(
        CaseMember.objects.filter(case=jades_case, removed_at__isnull=True).values_list(
            "user__username", flat=True
        )
    )
    assert {"amira", "grace", "kit"} <= members
    assert LeadProfessionalSpell.objects.filter(case=jades_case).count() == 2
    allocation = CaseAllocation.objects.get()
    assert (allocation.from_user, allocation.to_user, allocation.allocated_by) == (amira, kit, sam)
    assert AuditEvent.objects.filter(reason="Amira is over capacity").exists()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {amira.email, kit.email, grace.email} <= recipients
    assert not any("Jade" in message.body for message in mail.outbox)
    entries = chronology.timeline(verified(grace), jade)
    assert any(e.kind == "allocation" and "to Kit Lowe" in e.title for e in entries)
    # Continuity: Jade has now had two lead professionals this year.
    page = sign_in(sam).get(reverse("team-continuity")).content.decode()
    assert "Exploitation Team" in page
    row = next(
        r
        for r in continuity.by_team(verified(sam), timezone.now())
        if r.team.name == "Exploitation Team"
    )
    assert (row.children, row.changes) == (1, 1)


def test_a_move_needs_a_reason(sign_in, sam, jades_case, kit):
    page = allocate(sign_in(sam), jades_case, kit, reason="   ", add_to_team="on").content.decode()
    assert "Give the reason for the move." in page


def test_a_reason_with_a_nul_byte_is_a_bad_request_not_an_error(sign_in, sam, jades_case, kit):
    response = allocate(sign_in(sam), jades_case, kit, reason="a\x00b", add_to_team="on")
    assert response.status_code == 400
    assert not CaseAllocation.objects.exists()


def test_a_move_to_someone_not_managed_is_refused(sign_in, sam, jades_case, ben):
    page = allocate(sign_in(sam), jades_case, ben, add_to_team="on").content.decode()
    assert "Choose someone from the list" in page


def test_a_supervisor_publishes_only_with_the_permission(sign_in, sam):
    assert sign_in(sam).get(reverse("weighting-publish")).status_code == 404
    sam.user_permissions.add(Permission.objects.get(codename="publish_weightingscheme"))
    assert (
        sign_in(type(sam).objects.get(pk=sam.pk)).get(reverse("weighting-publish")).status_code
        == 200
    )


def test_a_cse_lead_publishes_a_scheme_and_negative_points_are_refused(sign_in, jo):
    client = sign_in(jo)
    form = client.get(reverse("weighting-publish"))
    assert form.status_code == 200
    data = {name: str(value) for name, value in form.context["form"].initial.items()}
    bad = client.post(reverse("weighting-publish"), {**data, "points_high": "-1", "rationale": "x"})
    assert bad.status_code == 200
    assert not WeightingScheme.objects.exists()
    good = client.post(
        reverse("weighting-publish"), {**data, "points_high": "4", "rationale": "More visits"}
    )
    assert good.status_code == 302
    assert selectors.current_scheme().points_high == Decimal(4)


def test_the_caseload_api_is_scoped(sign_in, sam, amira, ben, jades_case):
    rows = sign_in(sam).get("/api/v1/caseloads/").json()["results"]
    assert amira.pk in [row["id"] for row in rows]
    assert [row["id"] for row in sign_in(ben).get("/api/v1/caseloads/").json()["results"]] == [
        ben.pk
    ]
    assert sign_in(ben).get(f"/api/v1/caseloads/{amira.pk}/").status_code == 404


def test_the_api_moves_a_case_as_the_page_does(sign_in, sam, amira, jades_case, kit, ben):
    body = {"case": jades_case.pk, "to_user": kit.pk, "reason": "Over capacity"}
    refused = sign_in(sam).post("/api/v1/case-allocations/", body, content_type="application/json")
    assert refused.status_code == 400
    assert "add_to_team" in refused.json()["errors"]
    moved = sign_in(sam).post(
        "/api/v1/case-allocations/", {**body, "add_to_team": True}, content_type="application/json"
    )
    assert moved.status_code == 201
    outsider = sign_in(ben).post(
        "/api/v1/case-allocations/", {**body, "to_user": ben.pk}, content_type="application/json"
    )
    assert outsider.status_code == 400
    mine = sign_in(kit).get("/api/v1/cases/mine/").json()["results"]
    assert [(row["young_person"], row["role"]) for row in mine] == [
        (jades_case.young_person_id, "lead")
    ]


def test_the_team_view_and_the_workers_home_show_supervision_due(sign_in, sam, amira, kit):
    from supervision.models import SupervisionSession

    today = timezone.localdate()
    SupervisionSession.objects.create(
        supervisor=sam, worker=amira, held_on=today - timedelta(days=40), duration_minutes=60
    )
    SupervisionSession.objects.create(
        supervisor=sam, worker=kit, held_on=today - timedelta(days=5), duration_minutes=60
    )
    page = re.sub(r"\s+", " ", sign_in(sam).get(reverse("team-caseloads")).content.decode())
    amira_row = re.search(r"Amira Bennett.*?</tr>", page).group(0)
    kit_row = re.search(r"Kit Lowe.*?</tr>", page).group(0)
    assert (today - timedelta(days=40)).strftime("%-d %b %Y") in amira_row
    assert "Overdue" in amira_row
    assert "Overdue" not in kit_row
    home = re.sub(r"\s+", " ", sign_in(amira).get(reverse("home")).content.decode())
    assert "Your next supervision is due by" in home
    assert "Overdue" in re.search(r'id="your-supervision".*?</p>', home).group(0)


@pytest.mark.parametrize(
    "params", [{"sort": "sideways"}, {"role": "boss"}, {"risk": "extreme"}, {"flagged": "maybe"}]
)
def test_the_my_cases_api_refuses_filters_it_cannot_read(sign_in, amira, params):
    response = sign_in(amira).get("/api/v1/cases/mine/", params)
    assert response.status_code == 400
    assert next(iter(params)) in response.json()["errors"]
