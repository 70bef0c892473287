"""People pickers offer only those who can take the role for this child or
district, show each as "Name (Agency, Team)", and the services refuse anyone
else, on the page and in the API alike (issue 15, item 7).

The story: Jade lives in Kingsmere. Amira leads her case, Grace is in the team
around her, Sam supervises Amira and Jo is Kingsmere's CSE lead: they see her
record. Ben and Cara work in Kingsmere but not with Jade. Tom works in Afon
Valley, and so does another Amira Bennett, a look-alike name in another
agency: neither is offered anything about Jade.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Action, MeetingKind, Participant
from cse_cases import access
from cse_cases import services as core
from cse_cases.models import AgencyKind, AuditEvent, CaseMember, CaseNote, Role
from tests.assessments.conftest import agree_action, schedule
from tests.conftest import ORDINARY_TUESDAY, signed_in_client, verified
from tests.factories import AgencyFactory, CaseFactory, TeamFactory, UserFactory, YoungPersonFactory

# Actions due "in 7 days", a note "now" and the literal due date 2027-01-05 of
# the "%" test: all from one ordinary working day, whatever day the suite runs.
pytestmark = pytest.mark.time_machine(ORDINARY_TUESDAY)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def options(page: str, select_name: str) -> list[str]:
    """The labels of a <select>'s options, as the browser shows them."""
    found = re.search(rf'<select name="{select_name}"[^>]*>(.*?)</select>', page, re.S)
    assert found, f"no select {select_name}"
    return [
        re.sub(r"\s+", " ", label).strip().replace("&#x27;", "'")
        for label in re.findall(r"<option[^>]*>(.*?)</option>", found.group(1), re.S)
    ]


def post_json(client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


@pytest.fixture
def other_amira(afon_valley):
    """Another Amira Bennett, in Afon Valley's youth justice team."""
    agency = AgencyFactory(
        name="Afon Youth Justice", kind=AgencyKind.YOUTH_JUSTICE, areas=[afon_valley]
    )
    team = TeamFactory(name="Prevention Team", agency=agency)
    return UserFactory(
        username="amira2",
        first_name="Amira",
        last_name="Bennett",
        role=Role.PRACTITIONER,
        agency=agency,
        team=team,
        areas=[afon_valley],
    )


@pytest.fixture
def everyone(jo, amira, grace, sam, ben, cara, tom, rhian, other_amira, jades_case):
    return {
        "jo": jo,
        "amira": amira,
        "grace": grace,
        "sam": sam,
        "ben": ben,
        "cara": cara,
        "tom": tom,
        "rhian": rhian,
        "other_amira": other_amira,
    }


def usernames(people) -> set[str]:
    return {person.username for person in people}


AMIRA = "Amira Bennett (Kingsmere Children's Services, Exploitation Team)"
OTHER_AMIRA = "Amira Bennett (Afon Youth Justice, Prevention Team)"
GRACE = "Grace Adeyemi (Kingsmere and Afon Health Board)"
BEN = "Ben Carter (Kingsmere Children's Services)"
CANNOT_SEE = ": cannot see this young person's record yet"


# --- The policy: who sees a child, read both ways -------------------------------------


def test_everyone_who_sees_a_child_is_found_in_one_query_by_the_same_rule(
    everyone, jade, jades_case, django_assert_num_queries
):
    """people_who_see_young_person and people_who_see_case read
    _case_visibility the other way round: for each persona, and for sharing
    and break-glass, they agree with the person-by-person rule."""
    tom = everyone["tom"]
    cara = everyone["cara"]
    core.case_share(
        by=verified(everyone["amira"]),
        case=jades_case,
        with_user=tom,
        shared=True,
        purpose="Jade is often in Afon Valley at weekends",
        lawful_basis="public_task",
    )
    core.break_glass_open(
        user=verified(everyone["rhian"]), case=jades_case, reason="Found at 2am in Afon Valley"
    )
    with django_assert_num_queries(1):
        seeing = usernames(access.people_who_see_young_person(jade))
    assert seeing == {"jo", "amira", "grace", "sam", "tom", "rhian"}
    assert usernames(access.people_who_see_case(jades_case)) == seeing
    for person in everyone.values():
        assert (person.username in seeing) == access.could_see_young_person(person, jade)
        assert (person.username in seeing) == access.could_see_case(person, jades_case)
    assert "cara" not in seeing
    assert access.could_see_young_person(cara, jade) is False


# --- Action owners --------------------------------------------------------------------


@pytest.fixture
def jades_subject(panel, jade):
    return panel.subjects.get(young_person=jade)


def test_action_owners_are_those_who_see_the_child_and_people_of_the_district(
    everyone, panel, jade
):
    offered = {
        person.username: person.sees_young_person
        for person in access.action_owner_choices(jade, meeting=panel)
    }
    assert offered == {
        "jo": True,
        "amira": True,
        "grace": True,
        "sam": True,
        "ben": False,
        "cara": False,
    }
    for outsider in ("tom", "rhian", "other_amira"):
        assert not access.may_own_action(everyone[outsider], jade, meeting=panel)


def test_an_out_of_area_worker_in_the_team_around_the_child_may_own_an_action(
    everyone, panel, jade, jades_case
):
    tom = everyone["tom"]
    CaseMember.objects.create(case=jades_case, user=tom, role="Police", added_by=everyone["amira"])
    assert access.may_own_action(tom, jade, meeting=panel)


def test_the_owner_list_shows_agency_and_team_and_who_cannot_see_the_child(
    everyone, panel, jades_subject
):
    page = text(
        signed_in_client(everyone["jo"]).get(
            reverse("meeting-action-add", args=[panel.pk, jades_subject.pk])
        )
    )
    owners = options(page, "owner")
    assert AMIRA in owners
    assert GRACE in owners
    assert BEN + CANNOT_SEE in owners
    assert "Cara Doyle (Safe Steps)" + CANNOT_SEE in owners
    assert OTHER_AMIRA not in owners
    assert not any(label.startswith(("Tom Okafor", "Rhian Evans")) for label in owners)
    # Said before submitting, with the way to add them.
    assert "add them to the team around the child" in page


def test_a_cross_district_owner_is_refused_on_the_page_keeping_what_was_typed(
    everyone, panel, jades_subject
):
    response = signed_in_client(everyone["jo"]).post(
        reverse("meeting-action-add", args=[panel.pk, jades_subject.pk]),
        {
            "description": "Share the car's registration with Afon Valley",
            "owner": everyone["tom"].pk,
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert "Choose an owner from the list: someone who sees Jade Morgan (known as JJ)" in page
    assert "Share the car&#x27;s registration with Afon Valley" in page
    assert not Action.objects.exists()


def test_an_owner_who_cannot_see_the_child_is_refused_until_the_chair_adds_them(
    everyone, panel, jade, jades_subject
):
    ben = everyone["ben"]
    client = signed_in_client(everyone["jo"])
    url = reverse("meeting-action-add", args=[panel.pk, jades_subject.pk])
    data = {
        "description": "Ask Jade's school about the car",
        "owner": ben.pk,
        "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
    }
    refused = text(client.post(url, data))
    assert (
        "Ben Carter is not in the team around Jade Morgan (known as JJ), so could not see "
        "their record or this action. Add Ben Carter to the team around the child" in refused
    )
    assert "Ask Jade&#x27;s school about the car" in refused
    assert not Action.objects.exists()
    assert not access.could_see_young_person(ben, jade)

    assert client.post(url, {**data, "add_owner_to_team": "on"}).status_code == 302
    action = Action.objects.get()
    assert action.owner == ben
    member = CaseMember.objects.get(user=ben, removed_at__isnull=True)
    assert member.case.young_person == jade
    assert access.could_see_young_person(ben, jade)
    changes = AuditEvent.objects.filter(object_type="case").values_list("fields_changed", flat=True)
    added = [(change or {}).get("team", ["", ""])[1] for change in changes]
    assert any(change.startswith("added ben") for change in added)


def test_a_chair_who_cannot_work_on_the_case_is_told_to_ask_the_lead_professional(
    jo, ben, kingsmere, afon_valley, rhian
):
    """Kayla lives in Kingsmere but her case is held in Afon Valley: Jo sees
    her record as Kingsmere's CSE lead, but adds no one to that case."""
    kayla = YoungPersonFactory(legal_first_name="Kayla", area=kingsmere, created_by=rhian)
    CaseFactory(young_person=kayla, area=afon_valley, lead_professional=rhian)
    meeting = schedule(jo, kingsmere, [kayla], kind=MeetingKind.MACE_PANEL)
    with pytest.raises(core.RecordError, match="ask Rhian Evans, the lead professional"):
        agree_action(
            meeting, by=jo, young_person=kayla, owner=ben, in_days=3, add_owner_to_team=True
        )
    assert not CaseMember.objects.filter(user=ben).exists()


def test_the_api_refuses_an_ineligible_owner_and_adds_one_to_the_team_when_asked(
    everyone, action_body, jade
):
    client = signed_in_client(everyone["jo"])
    url = reverse("action-api-list")
    body = action_body
    outsider = post_json(client, url, {**body, "owner": everyone["other_amira"].pk})
    assert outsider.status_code == 400
    assert "cannot own an action for Jade Morgan (known as JJ)" in str(outsider.json())
    not_in_team = post_json(client, url, {**body, "owner": everyone["ben"].pk})
    assert not_in_team.status_code == 400
    assert "Send add_owner_to_team: true" in str(not_in_team.json())
    assert not Action.objects.exists()
    added = post_json(client, url, {**body, "owner": everyone["ben"].pk, "add_owner_to_team": True})
    assert added.status_code == 201, added.json()
    assert access.could_see_young_person(everyone["ben"], jade)


def test_the_owner_form_runs_a_fixed_number_of_queries(
    everyone, panel, jades_subject, kingsmere, kingsmere_social_care, django_assert_max_num_queries
):
    client = signed_in_client(everyone["jo"])
    url = reverse("meeting-action-add", args=[panel.pk, jades_subject.pk])
    client.get(url)
    with django_assert_max_num_queries(40) as first:
        client.get(url)
    team = TeamFactory(name="Night Team", agency=kingsmere_social_care)
    for n in range(8):
        UserFactory(agency=kingsmere_social_care, team=team, areas=[kingsmere], username=f"p{n}")
    with django_assert_max_num_queries(len(first.captured_queries)):
        page = text(client.get(url))
    assert page.count("(Kingsmere Children&#x27;s Services, Night Team): cannot see") == 8


# --- Meeting invitees -----------------------------------------------------------------


def test_invitees_are_people_of_the_district_and_those_who_see_an_agenda_child(
    everyone, panel, jades_case
):
    offered = usernames(access.meeting_invitee_choices(panel))
    assert offered == {"jo", "amira", "grace", "sam", "ben", "cara"}
    CaseMember.objects.create(
        case=jades_case, user=everyone["tom"], role="Police", added_by=everyone["amira"]
    )
    assert "tom" in usernames(access.meeting_invitee_choices(panel))


def test_the_invite_list_shows_agency_and_team_and_leaves_out_other_districts(everyone, panel):
    page = text(signed_in_client(everyone["jo"]).get(reverse("meeting", args=[panel.pk])))
    invitees = options(page, "user")
    assert AMIRA in invitees
    assert GRACE in invitees
    assert BEN in invitees
    assert OTHER_AMIRA not in invitees
    assert not any(label.startswith("Tom Okafor") for label in invitees)


def test_an_outsider_is_not_invited_by_post_or_api(everyone, panel):
    tom = everyone["tom"]
    client = signed_in_client(everyone["jo"])
    page = text(
        client.post(
            reverse("meeting-participant-add", args=[panel.pk]), {"user": tom.pk}, follow=True
        )
    )
    assert "Choose someone from the list: people who work in Kingsmere" in page
    api = post_json(client, reverse("meeting-api-participants", args=[panel.pk]), {"user": tom.pk})
    assert api.status_code == 400
    assert "does not work in Kingsmere and sees no young person on this meeting" in str(api.json())
    assert "Tom" not in str(api.json())  # nobody's name is read by id
    assert not Participant.objects.filter(user=tom).exists()


# --- Named readers of a restricted note -------------------------------------------------


def test_named_readers_are_those_who_see_the_case(everyone, jades_case):
    assert usernames(access.named_viewer_choices(jades_case)) == {"jo", "amira", "grace", "sam"}


def test_the_note_form_names_only_people_who_see_the_case(everyone, jade):
    client = signed_in_client(everyone["amira"])
    url = reverse("note-add", args=[jade.pk])
    page = text(client.get(url))
    assert GRACE in page
    assert "Sam Hughes (Kingsmere Children&#x27;s Services, Exploitation" in page
    assert "Ben Carter" not in page
    assert "Tom Okafor" not in page
    assert "Afon Youth Justice" not in page
    refused = text(
        client.post(
            url,
            {
                "note_type": "multi_agency",
                "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                "text": "Police intelligence about the car",
                "visibility": "named",
                "named_viewers": [everyone["ben"].pk],
            },
        )
    )
    assert "Name only people who can see this case" in refused
    assert "Police intelligence about the car" in refused
    assert not CaseNote.objects.exists()


def test_the_api_refuses_a_named_reader_who_cannot_see_the_case(everyone, jades_case):
    response = post_json(
        signed_in_client(everyone["amira"]),
        reverse("case-note-list"),
        {
            "case": jades_case.pk,
            "note_type": "multi_agency",
            "text": "For the police only",
            "visibility": "named",
            "named_viewers": [everyone["tom"].pk],
        },
    )
    assert response.status_code == 400
    assert "Someone named cannot see this case, so could not read the note" in str(response.json())
    assert "Tom" not in str(response.json())  # no name read by id
    assert not CaseNote.objects.exists()


# --- Assignees: the referral's worker, the return interviewer --------------------------


def test_the_referral_worker_list_shows_agency_and_team_and_only_the_district(
    everyone, sara, kingsmere
):
    from tests.referrals.test_review_fixes import unknown

    referral = unknown(sara, kingsmere)
    page = text(signed_in_client(everyone["jo"]).get(reverse("referral", args=[referral.pk])))
    workers = options(page, "worker")
    assert AMIRA in workers
    assert BEN in workers
    assert OTHER_AMIRA not in workers
    assert not any(label.startswith("Tom Okafor") for label in workers)
    assert usernames(access.people_working_in(kingsmere.pk)) >= {"amira", "ben", "jo", "sara"}
    assert "tom" not in usernames(access.people_working_in(kingsmere.pk))


def test_a_return_interviewer_must_work_in_the_district_or_see_the_child(everyone, jade):
    offered = usernames(access.return_interviewer_choices(jade))
    assert {"amira", "grace", "ben", "cara"} <= offered
    assert not offered & {"tom", "other_amira"}


# --- After review: refusals name nobody, a "%" in a name is no server error ----------


def test_a_refusal_by_id_names_nobody_the_caller_may_not_pick(everyone, action_body):
    """Stepping through user ids in the API must not list the partnership's
    staff: the refusal says what to do without the person's name."""
    client = signed_in_client(everyone["jo"])
    body = {**action_body, "owner": everyone["tom"].pk}
    response = post_json(client, reverse("action-api-list"), body)
    assert response.status_code == 400
    assert "The person chosen cannot own an action" in str(response.json())
    assert "Tom" not in str(response.json())
    assert "Okafor" not in str(response.json())


def test_a_percent_sign_in_a_childs_name_or_district_is_refused_not_a_server_error(
    everyone, panel, jades_subject, jade, kingsmere
):
    jade.known_as = "100%Girl"
    jade.save(update_fields=["known_as"])
    kingsmere.name = "Kings%(value)smere"
    kingsmere.save(update_fields=["name"])
    client = signed_in_client(everyone["jo"])
    action = client.post(
        reverse("meeting-action-add", args=[panel.pk, jades_subject.pk]),
        {"description": "Visit", "owner": "999999", "due_on": "2027-01-05"},
    )
    assert action.status_code == 200
    assert "Choose an owner from the list" in text(action)
    invite = client.post(
        reverse("meeting-participant-add", args=[panel.pk]), {"user": "999999"}, follow=True
    )
    assert invite.status_code == 200
    assert "Choose someone from the list" in text(invite)


def test_the_plan_api_takes_only_a_worker_the_page_offers(everyone, jade, jades_case, template):
    """Rhian opened Jade's record by emergency access: she sees the case for a
    few hours, but is not the worker Jade can rely on."""
    core.break_glass_open(
        user=verified(everyone["rhian"]), case=jades_case, reason="Found at 2am in Afon Valley"
    )
    client = signed_in_client(everyone["amira"])
    body = {
        "case": jades_case.pk,
        "based_on": 0,
        "needs_and_outcomes": "Safe at home and in school",
        "young_person_support": "Weekly visits",
        "disruption_and_investigation": "Police patrols at the arcade",
        "review_on": (timezone.localdate() + timedelta(days=60)).isoformat(),
    }
    refused = post_json(
        client, reverse("plan-api-list"), {**body, "consistent_worker": everyone["rhian"].pk}
    )
    assert refused.status_code == 400
    assert "not the lead professional or in the team" in str(refused.json())
    agreed = post_json(
        client, reverse("plan-api-list"), {**body, "consistent_worker": everyone["grace"].pk}
    )
    assert agreed.status_code == 201, agreed.json()
