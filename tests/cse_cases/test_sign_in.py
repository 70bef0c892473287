"""Sign-in: password, then two-factor; lockout; idle timeout; sign-out; password change."""

from __future__ import annotations

from base64 import b32decode
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import current_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def password_step(client, username: str, password: str = PASSWORD, **extra):
    return client.post(reverse("sign-in"), {"username": username, "password": password, **extra})


def test_password_then_code_reaches_home(client, amira):
    response = password_step(client, "amira")
    assert response.status_code == 302
    assert response["Location"] == reverse("sign-in-code")
    # Not signed in yet: the home page still sends us to sign in.
    assert client.get("/").status_code == 302

    response = client.post(reverse("sign-in-code"), {"code": current_code(amira)})
    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Hello, Amira" in home.content.decode()


def test_next_is_honoured_only_for_this_site(client, amira, sam):
    password_step(client, "amira", next="/account/password/")
    response = client.post(reverse("sign-in-code"), {"code": current_code(amira)})
    assert response["Location"] == "/account/password/"

    other = type(client)()
    password_step(other, "sam", next="https://example.com/phish")
    response = other.post(reverse("sign-in-code"), {"code": current_code(sam)})
    assert response["Location"] == "/"


def test_a_code_cannot_be_used_twice(client, amira):
    password_step(client, "amira")
    code = current_code(amira)
    client.post(reverse("sign-in-code"), {"code": code})
    other = type(client)()
    password_step(other, "amira")
    page = other.post(reverse("sign-in-code"), {"code": code}).content.decode()
    assert "The security code is not right or has expired" in page


def test_wrong_password_gets_a_clear_message_and_keeps_the_username(client, amira):
    response = password_step(client, "amira", "not the password")
    page = response.content.decode()
    assert response.status_code == 200
    assert "The username or password is not right" in page
    assert 'value="amira"' in page
    assert "govuk-error-summary" in page


def test_unknown_username_gets_the_same_message(client, db):
    response = password_step(client, "nobody")
    assert "The username or password is not right" in response.content.decode()


def test_empty_form_names_each_missing_field(client, db):
    page = client.post(reverse("sign-in"), {}).content.decode()
    assert "Enter your username" in page
    assert "Enter your password" in page


def test_wrong_code_gets_a_clear_message(client, amira):
    password_step(client, "amira")
    good = current_code(amira)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    page = client.post(reverse("sign-in-code"), {"code": wrong}).content.decode()
    assert "The security code is not right or has expired" in page
    assert client.get("/").status_code == 302


def test_malformed_code_is_explained(client, amira):
    password_step(client, "amira")
    page = client.post(reverse("sign-in-code"), {"code": "12ab"}).content.decode()
    assert "The security code must be 6 digits" in page


def test_lockout_after_repeated_wrong_passwords(client, amira):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = password_step(client, "amira", "wrong")
        assert "The username or password is not right" in response.content.decode()
    response = password_step(client, "amira", "wrong")
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    # Even the right password is refused while locked.
    response = password_step(client, "amira")
    assert response.status_code == 429
    assert "Try again in 30 minutes" in response.content.decode()


def test_wrong_codes_count_towards_the_lockout(client, amira):
    password_step(client, "amira")
    wrong = f"{(int(current_code(amira)) + 1) % 1_000_000:06d}"
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("sign-in-code"), {"code": wrong}).status_code == 200
    response = client.post(reverse("sign-in-code"), {"code": wrong})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    # The right code no longer helps, and the page still says why.
    response = client.post(reverse("sign-in-code"), {"code": current_code(amira)})
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert client.get("/").status_code == 302
    # Nor does starting again with the right password.
    assert password_step(type(client)(), "amira").status_code == 429


def test_lockout_of_one_account_does_not_lock_another(client, amira, sam):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(client, "amira", "wrong")
    assert password_step(client, "sam").status_code == 302


def test_first_sign_in_enrols_an_authenticator(client, kingsmere_social_care):
    newcomer = UserFactory(username="newcomer", agency=kingsmere_social_care, two_factor=False)
    response = password_step(client, "newcomer")
    assert response["Location"] == reverse("sign-in-enrol")
    response = client.get(reverse("sign-in-enrol"))
    assert '<svg role="img" aria-label="QR code' in response.content.decode()
    secret = response.context["secret"]
    key = b32decode(secret)
    # Until a code proves the app holds the secret, no device exists.
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    # Reloading in the same browser shows the same secret.
    assert client.get(reverse("sign-in-enrol")).context["secret"] == secret

    response = client.post(reverse("sign-in-enrol"), {"code": f"{totp(key):06d}"})
    assert response.status_code == 302
    device = TOTPDevice.objects.get(user=newcomer)
    assert device.confirmed
    assert device.bin_key == key
    assert client.get("/").status_code == 200


def test_enrolment_refuses_a_wrong_code(client, kingsmere_social_care):
    UserFactory(username="newcomer", agency=kingsmere_social_care, two_factor=False)
    password_step(client, "newcomer")
    page = client.post(reverse("sign-in-enrol"), {"code": "000000"}).content.decode()
    assert "The security code is not right" in page
    assert client.get("/").status_code == 302


def test_code_page_without_a_password_step_starts_again(client, db):
    response = client.get(reverse("sign-in-code"))
    assert response["Location"] == reverse("sign-in")


def test_a_slow_second_step_starts_again(client, amira, settings):
    password_step(client, "amira")
    settings.SIGN_IN_PENDING_SECONDS = -1
    response = client.post(reverse("sign-in-code"), {"code": current_code(amira)})
    assert response["Location"] == reverse("sign-in")
    assert client.get("/").status_code == 302


def test_demo_accounts_sign_in_only_with_debug_on(client, amira, settings):
    amira.is_demo = True
    amira.save()
    settings.DEBUG = False
    assert (
        "The username or password is not right" in password_step(client, "amira").content.decode()
    )
    settings.DEBUG = True
    assert password_step(client, "amira")["Location"] == reverse("sign-in-code")


def test_inactive_account_cannot_sign_in(client, amira):
    amira.is_active = False
    amira.save()
    assert password_step(client, "amira").status_code == 200


def test_idle_session_ends_and_says_why(amira, sign_in):
    client = sign_in(amira)
    assert client.get("/").status_code == 200
    # Thirty idle minutes later the server no longer honours the session.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302
    assert "timed_out=1" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "We signed you out because you did nothing for 30 minutes" in page


def test_idle_timeout_is_thirty_minutes_and_slides(amira, sign_in):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # Slid by cse_cases.sessions at most once a minute, not on every request.
    assert settings.SESSION_REFRESH_SECONDS == 60
    client = sign_in(amira)
    client.get("/")
    expiry = Session.objects.get().expire_date
    assert timedelta(minutes=29) < expiry - timezone.now() <= timedelta(minutes=30)


def test_idle_expiry_slides_at_most_once_a_minute(amira, sign_in):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = sign_in(amira)
        client.get("/")
        signed_in_expiry = Session.objects.get().expire_date
        # Thirty seconds on, the page does not write the session row.
        clock.shift(timedelta(seconds=30))
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        assert not [q for q in queries if 'UPDATE "django_session"' in q["sql"]]
        assert Session.objects.get().expire_date == signed_in_expiry
        # Past the minute, it slides the expiry to thirty minutes from now.
        clock.shift(timedelta(seconds=31))
        assert client.get("/").status_code == 200
        slid = Session.objects.get().expire_date
        assert slid == timezone.now() + timedelta(minutes=30)


@pytest.mark.parametrize("every_seconds", [50, 59])
def test_a_request_less_than_a_minute_apart_keeps_the_session(amira, sign_in, every_seconds):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = sign_in(amira)
        for _ in range(45 * 60 // every_seconds):
            clock.shift(timedelta(seconds=every_seconds))
            assert client.get(reverse("password-change")).status_code == 200


def test_session_ends_within_a_minute_of_the_idle_timeout(amira, sign_in):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = sign_in(amira)
        client.get("/")
        # The last request, 59 s after the session was last slid, did not slide it.
        clock.shift(timedelta(seconds=59))
        assert client.get("/").status_code == 200
        # So it ends 29 min 1 s after that request, never later than 30 minutes.
        clock.shift(timedelta(minutes=29, seconds=1))
        response = client.get("/")
        assert response.status_code == 302
        assert "timed_out=1" in response["Location"]


def test_sign_out_needs_post_and_ends_the_session(amira, sign_in):
    client = sign_in(amira)
    assert client.get(reverse("sign-out")).status_code == 405
    response = client.post(reverse("sign-out"))
    assert response["Location"] == reverse("signed-out")
    assert "You have signed out" in client.get(reverse("signed-out")).content.decode()
    assert client.get("/").status_code == 302


def test_session_without_two_factor_is_ended(client, amira):
    # A session authenticated some other way (no OTP device in it) is not enough.
    client.force_login(amira, backend="cse_cases.auth_backends.HarbourModelBackend")
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_htmx_request_without_session_is_redirected_by_htmx(client, db):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("sign-in"))


def test_password_change(amira, sign_in, django_capture_on_commit_callbacks):
    client = sign_in(amira)
    new = "lighthouse quay morning tide"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("password-change"),
            {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
        )
    assert response["Location"] == reverse("home")
    assert len(callbacks) == 1  # the notice is queued once the change is committed
    amira.refresh_from_db()
    assert amira.check_password(new)
    # This session carries on.
    assert client.get("/").status_code == 200


def test_password_change_explains_weak_and_mismatched_passwords(amira, sign_in):
    client = sign_in(amira)
    page = client.post(
        reverse("password-change"),
        {"old_password": "wrong", "new_password1": "123", "new_password2": "456"},
    ).content.decode()
    assert "Your old password was entered incorrectly" in page
    assert "fields didn\u2019t match" in page


def test_password_changed_notice_is_sent(amira):
    from cse_cases import services

    assert services.password_changed_notice_send(user_id=amira.pk)
    assert mail.outbox[0].to == [amira.email]
    assert "was changed" in mail.outbox[0].body


def test_each_sign_in_session_enrols_its_own_secret(client, kingsmere_social_care) -> None:
    # Someone else who knows the initial password must not learn the secret
    # the real person goes on to enrol.
    UserFactory(username="newcomer", agency=kingsmere_social_care, two_factor=False)
    password_step(client, "newcomer")
    mine = client.get(reverse("sign-in-enrol")).context["secret"]
    intruder = type(client)()
    password_step(intruder, "newcomer")
    theirs = intruder.get(reverse("sign-in-enrol")).context["secret"]
    assert mine != theirs
    client.post(reverse("sign-in-enrol"), {"code": f"{totp(b32decode(mine)):06d}"})
    # The intruder's secret is worthless once the real enrolment is done.
    response = intruder.post(reverse("sign-in-enrol"), {"code": f"{totp(b32decode(theirs)):06d}"})
    assert response["Location"] == reverse("sign-in-code")
    assert intruder.get("/").status_code == 302


def test_wrong_current_password_counts_towards_the_lockout(amira, sign_in) -> None:
    client = sign_in(amira)
    attempt = {"old_password": "guess", "new_password1": "x" * 14, "new_password2": "x" * 14}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("password-change"), attempt).status_code == 200
    response = client.post(reverse("password-change"), attempt)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert client.get("/").status_code == 302  # signed out


def test_signed_in_visit_to_sign_in_follows_next(amira, sign_in) -> None:
    response = sign_in(amira).get("/sign-in/?next=/account/password/")
    assert response["Location"] == "/account/password/"


def test_one_address_guessing_across_many_usernames_is_slowed(client, amira, settings) -> None:
    # Password spraying: one guess each against many accounts, from one address.
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 3
    for n in range(3):
        assert password_step(client, f"someone{n}", "Summer2026!").status_code == 200
    response = password_step(client, "amira")
    assert response.status_code == 429
    assert "too many failed attempts to sign in from your network" in response.content.decode()
    # Another address is unaffected.
    other = type(client)(REMOTE_ADDR="198.51.100.7")
    assert password_step(other, "amira")["Location"] == reverse("sign-in-code")
