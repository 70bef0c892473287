"""Administrators cannot take over accounts (issue 14, item 4).

The story: Alex is Harbour's only administrator. Before this change he could,
from Django admin, make himself Kingsmere's CSE lead, set Amira's password and
remove her authenticator, then sign in as her. Now every account change is
audited with before and after and told to the holder and their district's
information governance (Dev); a change that gives an account record access
waits for a second person; a password is never set by anyone but its holder.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases.models import AccountChangeRequest, AuditEvent, Role, User
from tests.conftest import verified
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "harbour lantern evening walk"


def change_form(user: User, **overrides: object) -> dict:
    """What Django admin's change form posts for this account, with overrides."""
    data: dict[str, object] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "job_title": user.job_title,
        "agency": user.agency_id or "",
        "role": user.role,
        "team": user.team_id or "",
        "areas": [a.pk for a in user.areas.all()],
        "is_active": "on" if user.is_active else "",
        "_save": "Save",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v != ""}


def account_events(account: User):
    return AuditEvent.objects.filter(action="account", object_type="user", object_id=account.pk)


def pending_requests(account: User):
    from cse_cases.models import AccountChangeRequest

    return AccountChangeRequest.objects.filter(account=account, status="pending")


# --- The takeover paths of wave 1, through Django admin's own forms -----------------


def test_administrator_cannot_make_themselves_a_cse_lead(
    alex, kingsmere, kingsmere_social_care, sign_in
) -> None:
    client = sign_in(alex)
    client.post(
        f"/admin/cse_cases/user/{alex.pk}/change/",
        change_form(
            alex, role=Role.CSE_LEAD, areas=[kingsmere.pk], agency=kingsmere_social_care.pk
        ),
    )
    alex.refresh_from_db()
    assert alex.role == Role.ADMINISTRATOR
    assert not alex.areas.exists()


def test_administrator_cannot_set_someone_elses_password(alex, amira, sign_in) -> None:
    before = User.objects.get(pk=amira.pk).password
    response = sign_in(alex).post(
        f"/admin/cse_cases/user/{amira.pk}/password/",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    amira.refresh_from_db()
    assert amira.password == before
    assert not amira.check_password(NEW_PASSWORD)
    assert response.status_code in (200, 302)


def test_administrator_cannot_remove_an_authenticator_directly(alex, amira, sign_in) -> None:
    device = TOTPDevice.objects.get(user=amira)
    client = sign_in(alex)
    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    client.post(
        "/admin/otp_totp/totpdevice/",
        {"action": "delete_selected", "_selected_action": [device.pk], "post": "yes"},
    )
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_giving_a_commissioner_record_access_waits_for_approval(
    alex, priya, kingsmere, sign_in
) -> None:
    response = sign_in(alex).post(
        f"/admin/cse_cases/user/{priya.pk}/change/", change_form(priya, role=Role.CSE_LEAD)
    )
    assert response.status_code == 302
    priya.refresh_from_db()
    assert priya.role == Role.COMMISSIONER
    assert pending_requests(priya).get().changes == {
        "role": [Role.COMMISSIONER, Role.CSE_LEAD],
    }


def test_adding_an_area_to_a_practitioner_waits_for_approval(
    alex, amira, kingsmere, afon_valley, sign_in
) -> None:
    sign_in(alex).post(
        f"/admin/cse_cases/user/{amira.pk}/change/",
        change_form(amira, areas=[kingsmere.pk, afon_valley.pk]),
    )
    assert list(amira.areas.all()) == [kingsmere]
    assert pending_requests(amira).get().changes == {
        "areas": [[kingsmere.pk], sorted([kingsmere.pk, afon_valley.pk])]
    }


def test_a_new_account_with_record_access_waits_for_approval(
    alex, kingsmere_social_care, sign_in
) -> None:
    response = sign_in(alex).post(
        "/admin/cse_cases/user/add/",
        {
            "username": "mallory",
            "first_name": "Mal",
            "last_name": "Lory",
            "email": "mal@example.org",
            "agency": kingsmere_social_care.pk,
            "role": Role.CSE_LEAD,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    mallory = User.objects.get(username="mallory")
    assert not mallory.is_active
    assert not mallory.has_usable_password()  # the holder sets it from the emailed link
    assert pending_requests(mallory).get().changes == {"is_active": [False, True]}


def test_an_account_change_is_audited_with_before_and_after(alex, amira, sign_in) -> None:
    sign_in(alex).post(
        f"/admin/cse_cases/user/{amira.pk}/change/",
        change_form(amira, job_title="Senior social worker"),
    )
    event = account_events(amira).get()
    assert event.user_id == alex.pk
    assert event.fields_changed == {"job_title": ["Social worker", "Senior social worker"]}


# --- Who is told -------------------------------------------------------------------


def test_the_holder_and_their_areas_ig_are_told(
    alex, amira, dev, rhian, afon_valley, sign_in, run_tasks
) -> None:
    afon_ig = UserFactory(
        username="ffion", role=Role.INFORMATION_GOVERNANCE, areas=[afon_valley], agency=rhian.agency
    )
    with run_tasks():
        sign_in(alex).post(
            f"/admin/cse_cases/user/{amira.pk}/change/",
            change_form(amira, job_title="Senior social worker"),
        )
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([amira.email, dev.email])
    assert afon_ig.email not in recipients
    body = mail.outbox[0].body
    assert f"/accounts/{amira.pk}/" in body
    assert "Senior social worker" in body
    assert "Jade" not in body


def test_a_new_email_waits_and_the_old_address_is_told(alex, amira, sign_in, run_tasks) -> None:
    old = amira.email
    with run_tasks():
        sign_in(alex).post(
            f"/admin/cse_cases/user/{amira.pk}/change/",
            change_form(amira, email="alex.private@example.net"),
        )
    amira.refresh_from_db()
    assert amira.email == old  # password links still go to the address she has
    assert AccountChangeRequest.objects.get(account=amira).changes["email"] == [
        old,
        "alex.private@example.net",
    ]
    recipients = {address for message in mail.outbox for address in message.to}
    assert old in recipients
    assert "alex.private@example.net" not in recipients


def test_an_email_change_cannot_take_over_an_account_not_yet_enrolled(alex, jo, run_tasks) -> None:
    """Found in review: change the address of an account with no authenticator,
    send a reset link there, set the password, enrol your own authenticator."""
    from cse_cases.services import account_update, password_reset_send

    TOTPDevice.objects.filter(user=jo).delete()
    with run_tasks():
        update = account_update(by=verified(alex), account=jo, data={"email": "evil@example.net"})
        password_reset_send(by=verified(alex), account=jo)
    assert update.pending is not None
    jo.refresh_from_db()
    assert jo.email != "evil@example.net"
    links = [m for m in mail.outbox if m.subject == "Set your Harbour password"]
    assert [m.to for m in links] == [[jo.email]]


# --- Passwords: a reset link to the holder, never a password chosen by someone else ---


def test_administrator_sends_a_reset_link_only_to_the_holder(
    alex, amira, client, sign_in, run_tasks
) -> None:
    before = User.objects.get(pk=amira.pk).password
    with run_tasks():
        response = sign_in(alex).post(f"/admin/cse_cases/user/{amira.pk}/password/", {})
    assert response.status_code == 302
    amira.refresh_from_db()
    assert amira.password == before  # nothing changes until Amira uses the link
    (message,) = [m for m in mail.outbox if m.subject == "Set your Harbour password"]
    assert message.to == [amira.email]
    assert account_events(amira).get().detail == "Sent a password reset link to the holder"
    # Amira follows the link and chooses her own password.
    link = re.search(r"http\S+/account/reset/\S+", message.body).group(0)
    path = link.split("localhost:8000", 1)[-1].split("testserver", 1)[-1]
    page = client.get(path, follow=True)
    assert page.status_code == 200
    set_url = page.redirect_chain[-1][0] if page.redirect_chain else path
    done = client.post(
        set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True
    )
    assert "Your password has been set" in done.content.decode()
    amira.refresh_from_db()
    assert amira.check_password(NEW_PASSWORD)


def test_a_reset_link_works_once(amira, client) -> None:
    uid = urlsafe_base64_encode(force_bytes(amira.pk))
    token = default_token_generator.make_token(amira)
    path = f"/account/reset/{uid}/{token}/"
    set_url = client.get(path, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    again = client.get(path, follow=True)
    assert "no longer works" in again.content.decode()


def test_the_reset_page_says_a_bad_link_is_bad(client, db) -> None:
    response = client.get("/account/reset/zzz/not-a-token/")
    assert response.status_code == 200
    assert "no longer works" in response.content.decode()


# --- The service's rules -------------------------------------------------------------


def test_an_administrator_cannot_change_their_own_role_or_areas(alex, kingsmere) -> None:
    from cse_cases.services import AccountError, account_update

    with pytest.raises(AccountError, match="your own role or areas"):
        account_update(by=verified(alex), account=alex, data={"role": Role.CSE_LEAD})
    with pytest.raises(AccountError, match="your own role or areas"):
        account_update(by=verified(alex), account=alex, data={"areas": [kingsmere]})
    assert not account_events(alex).exists()


def test_changes_without_record_access_apply_at_once(alex, amira) -> None:
    from cse_cases.services import account_update

    outcome = account_update(by=verified(alex), account=amira, data={"last_name": "Khan"})
    assert outcome.pending is None
    amira.refresh_from_db()
    assert amira.last_name == "Khan"


def test_removing_record_access_applies_at_once(alex, amira, kingsmere) -> None:
    from cse_cases.services import account_update

    outcome = account_update(by=verified(alex), account=amira, data={"is_active": False})
    assert outcome.pending is None
    amira.refresh_from_db()
    assert not amira.is_active
    event = account_events(amira).get()
    assert event.fields_changed == {"is_active": ["True", "False"]}


def test_the_audit_never_holds_a_password_hash(alex, amira) -> None:
    from cse_cases.services import account_update, password_reset_send

    account_update(by=verified(alex), account=amira, data={"job_title": "Lead"})
    password_reset_send(by=verified(alex), account=amira)
    for event in account_events(amira):
        assert "password" not in event.fields_changed
        assert "argon2" not in str(event.fields_changed) + event.detail
