"""Django admin is for administrators only, entered through two-factor sign-in."""

from __future__ import annotations

import pytest

from cse_cases.models import Role

pytestmark = pytest.mark.django_db


def test_administrator_manages_the_partnership(alex, amira, sign_in) -> None:
    client = sign_in(alex)
    for path in [
        "/admin/",
        "/admin/cse_cases/area/",
        "/admin/cse_cases/agency/",
        "/admin/cse_cases/team/",
        "/admin/cse_cases/user/",
        f"/admin/cse_cases/user/{amira.pk}/change/",
        "/admin/otp_totp/totpdevice/",
        "/admin/axes/accessattempt/",
    ]:
        assert client.get(path).status_code == 200, path


@pytest.mark.parametrize("persona", ["amira", "sam", "jo", "priya", "dev", "tom"], ids=lambda p: p)
def test_nobody_else_reaches_admin(persona, request, sign_in) -> None:
    user = request.getfixturevalue(persona)
    assert user.role != Role.ADMINISTRATOR
    response = sign_in(user).get("/admin/cse_cases/user/")
    # Admin hands over to the sign-in page rather than showing anything.
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"] or "/admin/login/" in response["Location"]


def test_admin_password_login_form_is_not_offered(client, db) -> None:
    response = client.get("/admin/login/", follow=True)
    assert response.request["PATH_INFO"] == "/sign-in/"


def test_navigation_offers_administration_only_to_administrators(alex, amira, sign_in) -> None:
    assert "Administration" in sign_in(alex).get("/").content.decode()
    assert "Administration" not in sign_in(amira).get("/").content.decode()


def test_administrator_cannot_read_anyones_second_factor_or_tokens(alex, amira, sign_in) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import api_token_key

    device = TOTPDevice.objects.get(user=amira)
    key = api_token_key(amira)
    client = sign_in(alex)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
    qrcode = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/")
    assert qrcode.status_code == 403  # django-otp refuses it with the data hidden
    assert b"<svg" not in qrcode.content
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    assert client.get("/admin/knox/authtoken/").status_code == 404
    assert client.get("/admin/cse_cases/apitoken/").status_code == 404
    assert key not in client.get(f"/admin/cse_cases/user/{amira.pk}/change/").content.decode()


def test_the_holders_own_reset_notifies_and_revokes_tokens(
    amira, client, django_capture_on_commit_callbacks
) -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from cse_cases.models import ApiToken
    from tests.factories import api_token_key

    api_token_key(amira)
    new = "harbour lantern evening walk"
    uid = urlsafe_base64_encode(force_bytes(amira.pk))
    start = client.get(f"/account/reset/{uid}/{default_token_generator.make_token(amira)}/")
    with django_capture_on_commit_callbacks(execute=False) as notices:
        response = client.post(start["Location"], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    amira.refresh_from_db()
    assert amira.check_password(new)
    assert not ApiToken.objects.filter(user=amira).exists()
    assert len(notices) == 1  # the emailed notice, queued for after the commit


def test_the_change_form_shows_no_password_hash(alex, amira, sign_in) -> None:
    page = sign_in(alex).get(f"/admin/cse_cases/user/{amira.pk}/change/").content.decode()
    assert "argon2" not in page
    assert 'name="password' not in page
    assert "Send a password reset link" in page
    assert "Ask to remove the authenticator" in page


def test_an_administrators_own_role_and_areas_are_read_only(alex, sign_in) -> None:
    page = sign_in(alex).get(f"/admin/cse_cases/user/{alex.pk}/change/").content.decode()
    assert 'name="role"' not in page
    assert 'name="areas"' not in page


def test_accounts_are_switched_off_not_deleted(alex, amira, sign_in) -> None:
    client = sign_in(alex)
    response = client.post(f"/admin/cse_cases/user/{amira.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert type(amira).objects.filter(pk=amira.pk).exists()


def test_authenticators_are_shown_read_only(alex, amira, sign_in) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=amira)
    client = sign_in(alex)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert "/delete/" not in page
    before = device.name
    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/change/", {"name": "Mine now"})
    device.refresh_from_db()
    assert device.name == before
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403


def test_asking_to_remove_an_authenticator_needs_a_reason(alex, amira, sign_in) -> None:
    from cse_cases.models import AccountChangeRequest

    client = sign_in(alex)
    url = f"/admin/cse_cases/user/{amira.pk}/authenticator/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    assert "Say why the authenticator should be removed" in refused.content.decode()
    asked = client.post(url, {"reason": "Lost her phone on the train"})
    change = AccountChangeRequest.objects.get(account=amira)
    assert asked["Location"] == f"/account-changes/{change.pk}/"
    assert change.kind == "remove_authenticator"


@pytest.mark.parametrize("suffix", ["password", "authenticator"])
@pytest.mark.parametrize("account_id", ["abc", "999999", "1.5"])
def test_bad_account_ids_are_404_not_500(alex, sign_in, suffix, account_id) -> None:
    response = sign_in(alex).get(f"/admin/cse_cases/user/{account_id}/{suffix}/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("areas", "message"),
    [(["999999"], "Choose the areas from the list"), (["x"], "Choose the areas from the list")],
    ids=["unknown", "not-a-number"],
)
def test_an_unknown_area_is_a_message_not_a_500(alex, amira, sign_in, areas, message) -> None:
    from tests.cse_cases.test_accounts_takeover import change_form

    response = sign_in(alex).post(
        f"/admin/cse_cases/user/{amira.pk}/change/", change_form(amira, areas=areas)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(amira.areas.values_list("name", flat=True)) == ["Kingsmere"]


def test_a_refused_change_is_shown_beside_the_form(alex, priya, sign_in) -> None:
    from tests.cse_cases.test_accounts_takeover import change_form

    client = sign_in(alex)
    client.post(f"/admin/cse_cases/user/{priya.pk}/change/", change_form(priya, role="cse_lead"))
    again = client.post(
        f"/admin/cse_cases/user/{priya.pk}/change/", change_form(priya, role="supervisor")
    )
    assert again.status_code == 200
    assert "already waits for approval" in again.content.decode()


def test_the_admin_says_a_change_waits_for_approval(alex, priya, sign_in) -> None:
    from tests.cse_cases.test_accounts_takeover import change_form

    response = sign_in(alex).post(
        f"/admin/cse_cases/user/{priya.pk}/change/",
        change_form(priya, role="cse_lead"),
        follow=True,
    )
    assert "waits for a second person" in response.content.decode()


def test_deactivating_an_account_revokes_its_tokens(amira) -> None:
    from cse_cases.models import ApiToken
    from tests.factories import api_token_key

    api_token_key(amira)
    amira.is_active = False
    amira.save()
    assert not ApiToken.objects.filter(user=amira).exists()


def test_an_agencys_kind_cannot_be_changed(alex, kingsmere, sign_in) -> None:
    """Found in review: a charity made into a police force gave its staff police
    intelligence and emergency access, with no second person."""
    from cse_cases.models import Agency, AgencyKind

    charity = Agency.objects.create(name="Safe Steps", kind=AgencyKind.VOLUNTARY)
    charity.areas.set([kingsmere])
    client = sign_in(alex)
    page = client.get(f"/admin/cse_cases/agency/{charity.pk}/change/").content.decode()
    assert 'name="kind"' not in page
    client.post(
        f"/admin/cse_cases/agency/{charity.pk}/change/",
        {"name": "Safe Steps", "kind": "police", "areas": [kingsmere.pk], "is_active": "on"},
    )
    charity.refresh_from_db()
    assert charity.kind == AgencyKind.VOLUNTARY


def test_a_new_team_supervisor_is_recorded_and_told(
    alex, amira, kingsmere_team, kingsmere_social_care, kingsmere, dev, sign_in, run_tasks
) -> None:
    """A supervisor sees the team's cases: the change is an account change."""
    from django.core import mail

    from cse_cases.models import AuditEvent, Role
    from tests.factories import UserFactory

    new = UserFactory(
        username="newsup", role=Role.SUPERVISOR, agency=kingsmere_social_care, areas=[kingsmere]
    )
    with run_tasks():
        response = sign_in(alex).post(
            f"/admin/cse_cases/team/{kingsmere_team.pk}/change/",
            {"name": kingsmere_team.name, "agency": kingsmere_social_care.pk, "supervisor": new.pk},
        )
    assert response.status_code == 302
    row = AuditEvent.objects.get(action="account", object_id=new.pk)
    assert row.fields_changed == {"supervises": ["", f"supervisor of {kingsmere_team}"]}
    assert AuditEvent.objects.filter(action="account", object_id=kingsmere_team.supervisor_id)
    recipients = {address for message in mail.outbox for address in message.to}
    assert {new.email, dev.email} <= recipients
