"""API tokens: hashed, named, expiring, listed and revocable, throttled.

Amira makes a token for her case-management script from her account page;
Dev (information governance, Kingsmere's agency) sees and revokes it; Alex
(administrator) issues one to the police's case system; Priya (commissioner)
holds none. A revoked or expired token, or one whose holder can no longer
sign in, answers 401 in the API's error format.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from importlib import import_module

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from cse_cases.models import ApiToken, AuditEvent, User
from cse_cases.services import RecordError, tokens
from cse_cases.services import account_approvals as account_services
from tests.conftest import signed_in_client
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


def with_token(key: str) -> Client:
    return Client(headers={"Authorization": f"Token {key}"})


def send_form(client: Client, url: str, data: dict):
    """Post a token form as a browser would: with the one-time value its page gave."""
    page = client.get(url).content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page).group(1)
    return client.post(url, {**data, "once": once})


def new_key(page) -> str:
    match = re.search(r'id="new-token-key">([^<]+)<', page.content.decode())
    assert match, "the page shows the new key"
    return match.group(1)


# --- Made by their holder, in a verified session, seen once --------------------


def test_a_person_makes_a_token_and_sees_it_once(amira, sign_in) -> None:
    client = sign_in(amira)
    page = send_form(client, reverse("api-tokens"), {"name": "Case system sync", "days": "90"})
    assert page.status_code == 200
    key = new_key(page)
    assert key.startswith("harbour_")
    token = ApiToken.objects.get(user=amira)
    assert token.name == "Case system sync"
    # Only the digest is stored; nothing in the row is the key.
    assert token.digest == hashlib.sha512(key.encode()).hexdigest()
    assert key not in {token.digest, token.token_key, token.name}
    assert timedelta(days=89, hours=23) < token.expiry - token.created <= timedelta(days=90)
    # The list shows it, never its key again.
    listing = client.get(reverse("api-tokens")).content.decode()
    assert "Case system sync" in listing
    assert key not in listing
    me = with_token(key).get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["username"] == "amira"
    assert AuditEvent.objects.filter(
        user_id=amira.pk, action="create", object_type="apitoken", object_id=token.pk
    ).exists()


def test_a_bad_name_or_lifetime_is_explained_and_kept(amira, sign_in) -> None:
    client = sign_in(amira)
    page = send_form(client, reverse("api-tokens"), {"name": "My script", "days": "400"})
    text = page.content.decode()
    assert "A token lasts at most 90 days." in text
    assert 'value="My script"' in text
    page = send_form(client, reverse("api-tokens"), {"name": "", "days": "30"})
    assert "Give the token a name that says where it is used." in page.content.decode()
    assert not ApiToken.objects.exists()


def test_sending_the_form_again_makes_no_second_token(amira, sign_in) -> None:
    client = sign_in(amira)
    page = client.get(reverse("api-tokens")).content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page).group(1)
    data = {"name": "Case system sync", "days": "30", "once": once}
    assert client.post(reverse("api-tokens"), data).status_code == 200
    again = client.post(reverse("api-tokens"), data, follow=True)
    assert "That form was already sent, so no second token was made." in again.content.decode()
    assert 'id="new-token-key"' not in again.content.decode()
    assert ApiToken.objects.count() == 1
    # A form without the value (not from our page) makes nothing either.
    client.post(reverse("api-tokens"), {"name": "Other", "days": "30"})
    assert ApiToken.objects.count() == 1


@override_settings(API_TOKEN_DAYS=30)
def test_the_lifetime_comes_from_the_settings(amira) -> None:
    issued = tokens.api_token_create_by_command(user=amira, name="Script")
    assert issued.token.expiry - issued.token.created <= timedelta(days=30)
    with pytest.raises(RecordError, match="from 1 to 30 days"):
        tokens.api_token_create_by_command(user=amira, name="Script", days=31)


def test_a_session_without_two_factor_cannot_make_a_token(amira) -> None:
    client = Client()
    client.force_login(amira, backend="cse_cases.auth_backends.HarbourModelBackend")
    response = client.post(reverse("api-tokens"), {"name": "Script", "days": "30"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("sign-in"))
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("persona", ["priya", "dev", "alex"])
def test_who_does_not_use_the_api_holds_no_token(persona, request, sign_in) -> None:
    user = request.getfixturevalue(persona)
    assert sign_in(user).get(reverse("api-tokens")).status_code == 404
    with pytest.raises(RecordError, match="cannot hold an API token"):
        tokens.api_token_create_by_command(user=user, name="Script")


# --- Refused when revoked, expired, or the holder cannot sign in ----------------


def test_a_revoked_token_answers_401_in_the_error_format(amira, sign_in) -> None:
    issued = tokens.api_token_create_by_command(user=amira, name="Script")
    response = sign_in(amira).post(reverse("api-token-revoke", args=[issued.token.pk]))
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    answer = with_token(issued.key).get("/api/v1/me/")
    assert answer.status_code == 401
    assert answer.json()["status"] == 401
    assert answer.json()["code"] == "authentication_failed"
    assert AuditEvent.objects.filter(
        user_id=amira.pk, object_type="apitoken", detail__startswith="Revoked API token 'Script'"
    ).exists()


def test_an_expired_token_answers_401_and_is_not_listed(amira, sign_in) -> None:
    issued = tokens.api_token_create_by_command(user=amira, name="Old script")
    ApiToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    answer = with_token(issued.key).get("/api/v1/me/")
    assert answer.status_code == 401
    assert set(answer.json()) == {"status", "code", "detail"}
    assert "Old script" not in sign_in(amira).get(reverse("api-tokens")).content.decode()
    assert tokens.api_tokens_clear_expired() == 1


@pytest.mark.parametrize(
    "header",
    [
        "Token \xff\xfe\xfd",
        "Token harbour_\x00abc",
        "Token " + "a" * 5000,
        "Token ",
        "Token two words",
        "Token harbour_0123456789abcdef",
    ],
)
def test_a_malformed_token_is_a_401_not_a_server_error(header, db) -> None:
    response = Client(headers={"Authorization": header}).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_token_stops_when_its_holder_cannot_sign_in(amira, settings) -> None:
    key = tokens.api_token_create_by_command(user=amira, name="Script").key
    amira.is_demo = True
    amira.save()
    settings.DEBUG = False
    assert with_token(key).get("/api/v1/me/").status_code == 401


def test_a_token_stops_when_its_holder_leaves_the_records_roles(amira) -> None:
    key = tokens.api_token_create_by_command(user=amira, name="Script").key
    User.objects.filter(pk=amira.pk).update(role="commissioner")
    assert with_token(key).get("/api/v1/me/").status_code == 401


def test_deactivation_and_a_new_password_revoke_every_token(amira) -> None:
    tokens.api_token_create_by_command(user=amira, name="One")
    tokens.api_token_create_by_command(user=amira, name="Two")
    amira.set_password("a completely new lantern walk")
    amira.save()
    assert not ApiToken.objects.filter(user=amira).exists()
    assert AuditEvent.objects.filter(detail="Revoked 2 API tokens: the password changed").exists()


def test_last_use_is_written_at_most_once_a_minute(amira, django_assert_num_queries) -> None:
    issued = tokens.api_token_create_by_command(user=amira, name="Script")
    client = with_token(issued.key)
    client.get("/api/v1/me/")
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    client.get("/api/v1/me/")
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=2))
    client.get("/api/v1/me/")
    assert ApiToken.objects.get().last_used_at > first


# --- Information governance and outsiders --------------------------------------


def test_information_governance_sees_and_revokes_tokens_in_its_areas(
    amira, dev, tom, sign_in
) -> None:
    amiras = tokens.api_token_create_by_command(user=amira, name="Kingsmere script")
    toms = tokens.api_token_create_by_command(user=tom, name="Afon Valley script")
    # Dev has no areas of his own: he serves those his agency serves (Kingsmere).
    page = sign_in(dev).get(reverse("api-token-review")).content.decode()
    assert "Kingsmere script" in page
    assert "Afon Valley script" not in page
    assert amiras.key not in page
    assert sign_in(dev).post(reverse("api-token-revoke", args=[toms.token.pk])).status_code == 404
    response = sign_in(dev).post(reverse("api-token-revoke", args=[amiras.token.pk]))
    assert response.status_code == 302
    assert response.url == reverse("api-token-review")
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Afon Valley script"]
    assert AuditEvent.objects.filter(user_id=dev.pk, object_type="apitoken").exists()


def test_information_governance_of_another_area_sees_nothing(amira, afon_police, sign_in) -> None:
    tokens.api_token_create_by_command(user=amira, name="Kingsmere script")
    afon_ig = UserFactory(username="ffion", role="information_governance", agency=afon_police)
    assert (
        "Kingsmere script" not in sign_in(afon_ig).get(reverse("api-token-review")).content.decode()
    )


@pytest.mark.parametrize("persona", ["ben", "grace", "tom", "jo", "sam", "priya", "alex"])
def test_an_outsider_cannot_revoke_someone_elses_token(persona, amira, request, sign_in) -> None:
    issued = tokens.api_token_create_by_command(user=amira, name="Script")
    user = request.getfixturevalue(persona)
    assert (
        sign_in(user).post(reverse("api-token-revoke", args=[issued.token.pk])).status_code == 404
    )
    assert sign_in(user).post(reverse("api-token-revoke", args=[999999])).status_code == 404
    assert ApiToken.objects.filter(pk=issued.token.pk).exists()


def test_the_review_page_runs_a_fixed_number_of_queries(
    dev, kingsmere, kingsmere_social_care, sign_in, django_assert_max_num_queries
) -> None:
    client = sign_in(dev)

    def grow(n: int) -> None:
        for i in range(n):
            holder = UserFactory(agency=kingsmere_social_care, areas=[kingsmere])
            tokens.api_token_create_by_command(user=holder, name=f"Script {i}")

    grow(1)
    with django_assert_max_num_queries(100) as small:
        client.get(reverse("api-token-review"))
    grow(5)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("api-token-review")).content.decode().count("Script ") >= 6


# --- Service accounts for partner systems --------------------------------------


@pytest.fixture
def police_system(alex, afon_police):
    account = tokens.service_account_create(
        by=signed_in_admin(alex),
        username="police-case-system",
        name="Police case system",
        email="systems@police.example",
        agency=afon_police,
    )
    switch_on(account)
    account.refresh_from_db()
    return account


def switch_on(account: User) -> None:
    """A second administrator approves the new account (like any account that
    works with records, it starts switched off: docs/access.md)."""
    from cse_cases.models import AccountChangeRequest

    second = signed_in_admin(UserFactory(role="administrator", agency=None))
    waiting = AccountChangeRequest.objects.get(account=account, status="pending")
    account_services.account_change_decide(by=second, change_request=waiting, approve=True)


def signed_in_admin(user: User) -> User:
    user.is_verified = lambda: True
    return user


def test_an_administrator_issues_a_token_to_a_service_account(alex, afon_police, sign_in) -> None:
    client = sign_in(alex)
    created = client.post(
        reverse("service-tokens"),
        {
            "action": "account",
            "account-system_name": "Police case system",
            "account-username": "police-case-system",
            "account-email": "systems@police.example",
            "account-agency": afon_police.pk,
        },
    )
    assert created.status_code == 302
    account = User.objects.get(username="police-case-system")
    assert account.is_service_account
    assert not account.has_usable_password()
    assert account.role == "practitioner"
    # It waits, switched off, for a second person: no token until then.
    assert not account.is_active
    with pytest.raises(RecordError, match="inactive"):
        tokens.service_token_issue(by=signed_in_admin(alex), account=account, name="Too soon")
    switch_on(account)
    page = send_form(
        client,
        reverse("service-tokens"),
        {
            "action": "token",
            "token-account": account.pk,
            "token-name": "Nightly sync",
            "token-days": "30",
        },
    )
    key = new_key(page)
    assert with_token(key).get("/api/v1/me/").json()["username"] == "police-case-system"
    token = ApiToken.objects.get(user=account)
    assert token.created_by == alex
    listing = client.get(reverse("service-tokens")).content.decode()
    assert "Nightly sync" in listing
    assert key not in listing
    assert AuditEvent.objects.filter(
        user_id=alex.pk, object_type="apitoken", action="create"
    ).exists()


def test_a_person_is_not_given_a_token_by_an_administrator(alex, amira) -> None:
    with pytest.raises(RecordError, match="only to service accounts"):
        tokens.service_token_issue(by=signed_in_admin(alex), account=amira, name="Script")


def test_a_service_account_never_signs_in_to_the_pages(police_system) -> None:
    police_system.set_password("a password someone set anyway")
    police_system.save()
    response = Client().post(
        reverse("sign-in"),
        {"username": "police-case-system", "password": "a password someone set anyway"},
    )
    assert response.status_code == 200
    assert "The username or password is not right" in response.content.decode()
    # A session naming it (however made) is not honoured.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=police_system, name="x", confirmed=True)
    client = signed_in_client(police_system)
    assert client.get(reverse("home")).status_code == 302
    assert client.get("/api/v1/me/").status_code == 401


def test_service_account_tokens_are_for_administrators(police_system, amira, dev, sign_in) -> None:
    issued = tokens.service_token_issue(
        by=signed_in_admin(User.objects.get(username="alex")), account=police_system, name="Sync"
    )
    assert sign_in(amira).get(reverse("service-tokens")).status_code == 404
    assert sign_in(dev).get(reverse("service-tokens")).status_code == 404
    # Dev's agency does not serve Afon Valley, where the police system works.
    assert sign_in(dev).post(reverse("api-token-revoke", args=[issued.token.pk])).status_code == 404


def test_a_bad_service_account_form_keeps_what_was_typed(alex, sign_in) -> None:
    page = sign_in(alex).post(
        reverse("service-tokens"),
        {"action": "account", "account-system_name": "Health system", "account-username": ""},
    )
    text = page.content.decode()
    assert "Give the account a username." in text
    assert 'value="Health system"' in text


# --- Throttling ------------------------------------------------------------------


def throttle_rates(token: str, user: str):
    from django.conf import settings

    return override_settings(
        REST_FRAMEWORK={
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"token": token, "user": user},
        }
    )


def test_each_token_is_throttled_with_a_429_in_the_error_format(amira) -> None:
    first = with_token(tokens.api_token_create_by_command(user=amira, name="One").key)
    second = with_token(tokens.api_token_create_by_command(user=amira, name="Two").key)
    with throttle_rates("2/minute", "100/minute"):
        assert first.get("/api/v1/me/").status_code == 200
        assert first.get("/api/v1/me/").status_code == 200
        refused = first.get("/api/v1/me/")
        assert refused.status_code == 429
        body = refused.json()
        assert body["status"] == 429
        assert body["code"] == "throttled"
        assert "Retry-After" in refused
        # Another token of the same person has its own allowance.
        assert second.get("/api/v1/me/").status_code == 200


def test_each_person_is_throttled_across_their_tokens_and_sessions(amira, sign_in) -> None:
    first = with_token(tokens.api_token_create_by_command(user=amira, name="One").key)
    second = with_token(tokens.api_token_create_by_command(user=amira, name="Two").key)
    with throttle_rates("100/minute", "3/minute"):
        assert first.get("/api/v1/me/").status_code == 200
        assert second.get("/api/v1/me/").status_code == 200
        assert sign_in(amira).get("/api/v1/me/").status_code == 200
        assert second.get("/api/v1/me/").status_code == 429


# --- manage.py drf_create_token ----------------------------------------------------


def test_the_command_prints_a_named_expiring_key_once(amira, capsys) -> None:
    call_command("drf_create_token", "amira", "--name", "Nightly import", "--days", "7")
    out = capsys.readouterr()
    key = out.out.split()[2]
    assert out.out.strip() == f"Generated token {key} for user amira"
    assert "Nightly import" in out.err
    token = ApiToken.objects.get(user=amira)
    assert token.digest == hashlib.sha512(key.encode()).hexdigest()
    assert token.expiry - token.created <= timedelta(days=7)
    assert with_token(key).get("/api/v1/me/").status_code == 200
    call_command("drf_create_token", "amira", "-r")
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["Issued with manage.py"]


def test_the_command_refuses_who_may_not_hold_a_token(amira, priya, alex) -> None:
    for username in ("priya", "alex", "nobody"):
        with pytest.raises(CommandError):
            call_command("drf_create_token", username)
    amira.is_active = False
    amira.save()
    with pytest.raises(CommandError, match="cannot hold an API token"):
        call_command("drf_create_token", "amira")
    assert not ApiToken.objects.exists()


def test_our_command_replaces_drfs() -> None:
    from django.core.management import get_commands

    assert get_commands()["drf_create_token"] == "cse_cases"


# --- The migration from DRF's plain-text tokens ----------------------------------


def test_old_plain_text_tokens_are_hashed_and_keep_working(amira) -> None:
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, "
            "created timestamptz NOT NULL, user_id bigint NOT NULL)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, now() - interval '1 year', %s)",
            [old_key, amira.pk],
        )
    from django.apps import apps

    migration = import_module("cse_cases.migrations.0020_api_tokens")
    with connection.schema_editor() as editor:
        migration.hash_drf_tokens(apps, editor)
    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get(user=amira)
    assert token.name == tokens.MIGRATED_NAME
    assert old_key not in (token.digest, token.token_key)
    assert timezone.now() + timedelta(days=89) < token.expiry
    assert with_token(old_key).get("/api/v1/me/").json()["username"] == "amira"


def test_a_different_agency_ig_is_an_outsider_to_service_accounts(
    police_system, afon_police, afon_valley
) -> None:
    # An account with no areas (a service account) is placed by its agency's areas.
    ig = UserFactory(role="information_governance", agency=afon_police, areas=[afon_valley])
    issued = tokens.service_token_issue(
        by=signed_in_admin(User.objects.get(username="alex")), account=police_system, name="Sync"
    )
    from cse_cases import access

    assert list(access.api_tokens_visible_to(signed_in_admin(ig))) == [issued.token]
    other = UserFactory(role="information_governance", agency=AgencyFactory())
    assert list(access.api_tokens_visible_to(signed_in_admin(other))) == []
