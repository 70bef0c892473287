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
        "/admin/authtoken/tokenproxy/",
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
