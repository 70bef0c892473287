"""Nothing a signed-in person is sent, and no API answer, stays in a cache.

Harbour runs on shared computers in schools and police stations: a record left
in the browser's cache is a record left for the next person at the desk.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cse_cases.models import AgencyKind
from cse_cases.services import tokens


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_every_page_of_a_signed_in_person_says_no_store(jade, jades_case, amira, sign_in) -> None:
    client = sign_in(amira)
    for url in (
        reverse("home"),
        reverse("young-person", args=[jade.pk]),
        reverse("chronology", args=[jade.pk]),
        reverse("young-people") + "?q=jade",
        reverse("referrals"),
        reverse("password-change"),
        "/no-such-page/",
    ):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert "no-store" in directives(response), url
        assert "public" not in directives(response), url


def test_htmx_fragments_and_redirects_say_no_store(jade, jades_case, amira, sign_in) -> None:
    client = sign_in(amira)
    fragment = client.get(reverse("young-people") + "?q=jade", headers={"HX-Request": "true"})
    assert "no-store" in directives(fragment)
    redirect = client.post(reverse("sign-out"))
    assert redirect.status_code == 302
    # Signing out ends the session; the page after it holds nothing.


def test_every_api_answer_says_no_store(jade, jades_case, amira, sign_in) -> None:
    client = sign_in(amira)
    for url in (
        "/api/v1/me/",
        "/api/v1/young-people/",
        f"/api/v1/young-people/{jade.pk}/",
        "/api/v1/young-people/999999/",
        "/api/schema/",
    ):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert "no-store" in directives(response), url
    # Even an answer to nobody: a 401 and an unknown API path.
    assert "no-store" in directives(Client().get("/api/v1/young-people/"))
    assert "no-store" in directives(Client().get("/api/v1/nothing-here/"))


def test_a_token_answer_says_no_store(jade, jades_case, amira) -> None:
    issued = tokens.api_token_create_by_command(user=amira, name="Case system")
    response = Client().get(
        f"/api/v1/young-people/{jade.pk}/", headers={"Authorization": f"Token {issued.key}"}
    )
    assert response.status_code == 200
    assert "no-store" in directives(response)


def test_a_stricter_header_is_kept(jo, jade, jades_case, kingsmere, sign_in) -> None:
    """The PDFs already say ``private, no-store``; the middleware leaves them alone."""
    from assessments.meetings import services
    from assessments.models import MeetingKind
    from tests.conftest import verified

    meeting = services.meeting_schedule(
        by=verified(jo),
        kind=MeetingKind.MACE_PANEL,
        area=kingsmere,
        starts_at=timezone.now() - timedelta(hours=1),
        place="Kingsmere Civic Centre, room 2",
        young_people=[jade],
    )
    response = sign_in(jo).get(reverse("meeting-pdf", args=[meeting.pk, "pack"]))
    assert response["Cache-Control"] == "private, no-store"


# No collected files in the suite: WhiteNoise serves from the finders.
@pytest.mark.filterwarnings("ignore:No directory at")
@pytest.mark.django_db
@override_settings(
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django_otp.middleware.OTPMiddleware",
        "cse_cases.middleware.NoStoreMiddleware",
    ],
    WHITENOISE_USE_FINDERS=True,
    WHITENOISE_AUTOREFRESH=False,
)
def test_static_files_served_by_whitenoise_stay_cacheable(amira) -> None:
    from tests.conftest import signed_in_client

    client = signed_in_client(amira)
    response = client.get("/static/pdf/meeting.css")
    assert response.status_code == 200
    assert "no-store" not in directives(response)
    assert any(d.startswith("max-age=") and d != "max-age=0" for d in directives(response))


def test_a_police_officers_pages_say_no_store(tom, sign_in) -> None:
    """Another persona and agency, and a list page with data on it."""
    assert tom.agency.kind == AgencyKind.POLICE
    response = sign_in(tom).get(reverse("locations"))
    assert response.status_code == 200
    assert "no-store" in directives(response)
