"""Emergency (break-glass) access: only for agencies with a safeguarding duty,
reached by finding the young person, never by an id; seen by the lead
professional, reviewed by the information governance of the record's district."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from cse_cases import access
from cse_cases.models import AuditAction, AuditEvent, BreakGlassGrant
from cse_cases.views.search import BREAK_GLASS_MATCH
from tests.conftest import verified
from tests.factories import CaseFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

REASON = "Jade is missing tonight and nobody in Kingsmere answers the phone."


@pytest.fixture
def teacher(sara):
    return sara


def normalised(response) -> str:
    """The page without what differs between any two requests (tokens, nonces)."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    text = re.sub(r'"X-CSRFToken": "[^"]+"', "", text)
    return re.sub(r'nonce="[^"]+"', "", text)


def search(client, **params):
    return client.get(reverse("young-people"), params)


def find_jade(client, jade):
    return search(client, q="Jade Morgan", date_of_birth=jade.date_of_birth.isoformat())


def test_only_agencies_with_a_safeguarding_duty_may_break_glass(
    tom, ben, rhian, sam, cara, teacher, priya, dev, alex
) -> None:
    allowed = [tom, ben, rhian, sam]
    refused = [cara, teacher, priya, dev, alex]
    assert all(access.may_break_glass(verified(person)) for person in allowed)
    assert not any(access.may_break_glass(verified(person)) for person in refused)


def test_a_voluntary_sector_practitioner_is_not_offered_it(jade, jades_case, cara, sign_in) -> None:
    client = sign_in(cara)
    page = find_jade(client, jade).content.decode()
    assert "A record you cannot see matches" not in page
    assert client.get(reverse("break-glass")).status_code == 404
    assert client.post(reverse("break-glass"), {"reason": REASON}).status_code == 404
    assert not BreakGlassGrant.objects.exists()


def test_a_police_officer_finds_the_child_then_opens_the_record(
    jade, jades_case, tom, sign_in
) -> None:
    client = sign_in(tom)
    assert client.get(reverse("young-person", args=[jade.pk])).status_code == 404
    page = find_jade(client, jade).content.decode()
    assert "A record you cannot see matches" in page
    assert "Morgan" not in page.split("A record you cannot see matches")[1].split("</div>")[0]
    assert client.session[BREAK_GLASS_MATCH]["young_person"] == jade.pk
    form = client.get(reverse("break-glass")).content.decode()
    assert "Open the record" in form
    response = client.post(reverse("break-glass"), {"reason": REASON})
    assert response["Location"] == reverse("young-person", args=[jade.pk])
    assert client.get(response["Location"]).status_code == 200
    grant = BreakGlassGrant.objects.get()
    assert (grant.case, grant.user, grant.reason) == (jades_case, tom, REASON)
    assert BREAK_GLASS_MATCH not in client.session
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert (event.user_id, event.young_person_id, event.reason) == (tom.pk, jade.pk, REASON)


def test_an_identifier_alone_is_enough_to_find_them(jade, jades_case, tom, sign_in) -> None:
    jade.nhs_number = "4857773457"
    jade.save()
    client = sign_in(tom)
    assert (
        "A record you cannot see matches"
        in search(client, identifier="485 777 3457").content.decode()
    )


def test_a_name_alone_is_not(jade, jades_case, tom, sign_in) -> None:
    client = sign_in(tom)
    page = search(client, q="Jade Morgan").content.decode()
    assert "A record you cannot see matches" not in page
    assert BREAK_GLASS_MATCH not in client.session
    assert "Search for the young person" in client.get(reverse("break-glass")).content.decode()


def test_the_search_that_matched_is_recorded_against_the_child(
    jade, jades_case, tom, sign_in
) -> None:
    find_jade(sign_in(tom), jade)
    assert AuditEvent.objects.filter(
        user_id=tom.pk,
        action=AuditAction.SEARCH,
        young_person_id=jade.pk,
        detail="search matched a record the searcher cannot see",
    ).exists()


def test_two_hidden_matches_must_be_narrowed(jade, jades_case, tom, kingsmere, amira, sign_in):
    twin = YoungPersonFactory(
        legal_first_name="Jade",
        legal_last_name="Morgan",
        date_of_birth=jade.date_of_birth,
        area=kingsmere,
        created_by=amira,
    )
    CaseFactory(young_person=twin, lead_professional=amira)
    client = sign_in(tom)
    page = find_jade(client, jade).content.decode()
    assert "More than one record you cannot see matches" in page
    assert BREAK_GLASS_MATCH not in client.session


def test_no_id_posted_opens_anything_and_answers_alike(jade, jades_case, tom, sign_in) -> None:
    """No existence oracle: whatever id is posted, real or not, the answer is the same."""
    client = sign_in(tom)
    real = client.post(
        reverse("break-glass"), {"reason": REASON, "case": jades_case.pk, "young_person": jade.pk}
    )
    made_up = client.post(
        reverse("break-glass"), {"reason": REASON, "case": 999999, "young_person": 999999}
    )
    assert real.status_code == made_up.status_code == 200
    assert normalised(real) == normalised(made_up)
    assert "Morgan" not in normalised(real)
    assert not BreakGlassGrant.objects.exists()


def test_the_old_address_by_case_number_is_gone(jades_case, tom, sign_in) -> None:
    with pytest.raises(NoReverseMatch):
        reverse("case-break-glass", args=[jades_case.pk])
    client = sign_in(tom)
    for pk in (jades_case.pk, 999999):
        response = client.post(f"/cases/{pk}/break-glass/", {"reason": REASON})
        assert response.status_code == 404
    assert not BreakGlassGrant.objects.exists()


def test_a_short_reason_is_explained_and_the_match_kept(jade, jades_case, tom, sign_in) -> None:
    client = sign_in(tom)
    find_jade(client, jade)
    page = client.post(reverse("break-glass"), {"reason": "urgent"}).content.decode()
    assert "Explain why you need this record now" in page
    assert client.session[BREAK_GLASS_MATCH]["young_person"] == jade.pk
    assert not BreakGlassGrant.objects.exists()


def test_a_stale_match_must_be_searched_again(jade, jades_case, tom, sign_in) -> None:
    client = sign_in(tom)
    find_jade(client, jade)
    session = client.session
    session[BREAK_GLASS_MATCH]["found_at"] = (timezone.now() - timedelta(minutes=31)).isoformat()
    session.save()
    page = client.post(reverse("break-glass"), {"reason": REASON}).content.decode()
    assert "Search for the young person" in page
    assert not BreakGlassGrant.objects.exists()


def test_a_tampered_session_match_is_ignored(jade, jades_case, tom, sign_in) -> None:
    client = sign_in(tom)
    session = client.session
    session[BREAK_GLASS_MATCH] = {"young_person": "abc", "found_at": "yesterday"}
    session.save()
    assert client.post(reverse("break-glass"), {"reason": REASON}).status_code == 200
    assert not BreakGlassGrant.objects.exists()


def test_someone_who_already_sees_the_record_is_sent_to_it(jade, jades_case, amira, sign_in):
    client = sign_in(amira)
    page = find_jade(client, jade).content.decode()
    assert "A record you cannot see matches" not in page  # she sees it: it is a result


def test_the_lead_professional_sees_each_use_on_my_work_and_the_record(
    jade, jades_case, tom, amira, grace, sign_in
) -> None:
    client = sign_in(tom)
    find_jade(client, jade)
    client.post(reverse("break-glass"), {"reason": REASON})
    my_work = sign_in(amira).get(reverse("my-work")).content.decode()
    assert "Emergency access to your cases" in my_work
    assert "Tom Okafor" in my_work
    assert REASON in my_work
    record = sign_in(amira).get(reverse("young-person", args=[jade.pk])).content.decode()
    assert 'id="emergency-access"' in record
    assert REASON in record
    # Grace, in the team around Jade, sees that it happened but not the reason.
    seen_by_grace = sign_in(grace).get(reverse("young-person", args=[jade.pk])).content.decode()
    assert "Tom Okafor" in seen_by_grace
    assert REASON not in seen_by_grace
    assert (
        "Emergency access to your cases"
        not in sign_in(grace).get(reverse("my-work")).content.decode()
    )
