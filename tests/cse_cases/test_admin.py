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


def test_an_administrators_password_reset_notifies_and_revokes_tokens(
    alex, amira, sign_in, django_capture_on_commit_callbacks
) -> None:
    from cse_cases.models import ApiToken
    from tests.factories import api_token_key

    api_token_key(amira)
    new = "harbour lantern evening walk"
    with django_capture_on_commit_callbacks(execute=False) as notices:
        response = sign_in(alex).post(
            f"/admin/cse_cases/user/{amira.pk}/password/",
            {"password1": new, "password2": new, "usable_password": "true"},
        )
    assert response.status_code == 302
    amira.refresh_from_db()
    assert amira.check_password(new)
    assert not ApiToken.objects.filter(user=amira).exists()
    assert len(notices) == 1  # the emailed notice, queued for after the commit


def test_deactivating_an_account_revokes_its_tokens(amira) -> None:
    from cse_cases.models import ApiToken
    from tests.factories import api_token_key

    api_token_key(amira)
    amira.is_active = False
    amira.save()
    assert not ApiToken.objects.filter(user=amira).exists()
