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


def request_role_change(alex: User, account: User, role: Role = Role.CSE_LEAD):
    from cse_cases.services import account_update

    outcome = account_update(
        by=verified(alex), account=account, data={"role": role}, reason="New post"
    )
    assert outcome.pending is not None
    return outcome.pending


def test_another_administrator_approves_and_the_change_applies(alex, priya, run_tasks) -> None:
    from cse_cases.services import account_change_decide

    change = request_role_change(alex, priya)
    morgan = UserFactory(username="morgan", role=Role.ADMINISTRATOR, agency=None)
    with run_tasks():
        account_change_decide(by=verified(morgan), change_request=change, approve=True)
    priya.refresh_from_db()
    change.refresh_from_db()
    assert priya.role == Role.CSE_LEAD
    assert (change.status, change.decided_by) == ("approved", morgan)
    approved = account_events(priya).filter(user_id=morgan.pk).get()
    assert approved.fields_changed == {"role": [Role.COMMISSIONER, Role.CSE_LEAD]}
    assert priya.email in {a for m in mail.outbox for a in m.to}


def test_the_requester_cannot_approve_their_own_request(alex, priya) -> None:
    from cse_cases import access
    from cse_cases.services import AccountError, account_change_decide

    change = request_role_change(alex, priya)
    assert not access.may_decide_account_change(verified(alex), change)
    with pytest.raises(AccountError):
        account_change_decide(by=verified(alex), change_request=change, approve=True)
    priya.refresh_from_db()
    assert priya.role == Role.COMMISSIONER


def test_the_holder_cannot_approve_a_change_to_their_own_account(alex, dev, kingsmere) -> None:
    from cse_cases import access

    dev.areas.set([kingsmere])
    change = request_role_change(alex, dev, Role.CSE_LEAD)
    assert not access.may_decide_account_change(verified(dev), change)


def test_information_governance_approves_when_there_is_one_administrator(alex, priya, dev) -> None:
    from cse_cases import access
    from cse_cases.services import account_change_decide

    change = request_role_change(alex, priya)
    assert access.may_decide_account_change(verified(dev), change)
    account_change_decide(by=verified(dev), change_request=change, approve=True, note="Agreed")
    priya.refresh_from_db()
    assert priya.role == Role.CSE_LEAD


def test_information_governance_does_not_decide_when_another_administrator_can(
    alex, priya, dev
) -> None:
    from cse_cases import access

    UserFactory(username="morgan", role=Role.ADMINISTRATOR, agency=None)
    change = request_role_change(alex, priya)
    assert not access.may_decide_account_change(verified(dev), change)


def test_information_governance_of_another_area_cannot_decide(alex, priya, rhian, afon_valley):
    from cse_cases import access
    from cse_cases.services import AccountError, account_change_decide

    afon_ig = UserFactory(
        username="ffion", role=Role.INFORMATION_GOVERNANCE, areas=[afon_valley], agency=rhian.agency
    )
    change = request_role_change(alex, priya)
    assert not access.may_decide_account_change(verified(afon_ig), change)
    assert change not in access.account_change_requests_visible_to(verified(afon_ig))
    with pytest.raises(AccountError):
        account_change_decide(by=verified(afon_ig), change_request=change, approve=True)


def test_ig_who_may_decide_a_move_into_their_district_also_sees_it(
    alex, ben, iwan, afon_valley, sign_in
) -> None:
    """Found in review: the decision rule counted the districts a change adds,
    the list and the pages did not, so Iwan was asked and then shown a 404."""
    from cse_cases import access
    from cse_cases.services import account_update

    change = account_update(
        by=verified(alex), account=ben, data={"areas": [afon_valley.pk]}
    ).pending
    assert access.may_decide_account_change(verified(iwan), change)
    assert change in access.account_change_requests_visible_to(verified(iwan))
    client = sign_in(iwan)
    assert client.get(f"/account-changes/{change.pk}/").status_code == 200
    assert client.get(f"/accounts/{ben.pk}/").status_code == 200


def test_a_rejected_request_changes_nothing(alex, priya, dev) -> None:
    from cse_cases.services import account_change_decide

    change = request_role_change(alex, priya)
    account_change_decide(by=verified(dev), change_request=change, approve=False, note="No")
    priya.refresh_from_db()
    assert priya.role == Role.COMMISSIONER
    assert change.status == "rejected"


def test_a_stale_request_is_refused(alex, priya, dev) -> None:
    from cse_cases.services import AccountError, account_change_decide, account_update

    change = request_role_change(alex, priya)
    account_update(by=verified(alex), account=priya, data={"is_active": False})
    with pytest.raises(AccountError, match="changed since"):
        account_change_decide(by=verified(dev), change_request=change, approve=True)
    priya.refresh_from_db()
    assert priya.role == Role.COMMISSIONER


def test_a_decided_request_cannot_be_decided_again(alex, priya, dev) -> None:
    from cse_cases.services import AccountError, account_change_decide

    change = request_role_change(alex, priya)
    account_change_decide(by=verified(dev), change_request=change, approve=False)
    with pytest.raises(AccountError, match="already"):
        account_change_decide(by=verified(dev), change_request=change, approve=True)


def test_the_requester_withdraws_a_request(alex, priya) -> None:
    from cse_cases.services import account_change_withdraw

    change = request_role_change(alex, priya)
    account_change_withdraw(by=verified(alex), change_request=change)
    assert change.status == "withdrawn"


def test_making_someone_an_administrator_needs_a_second_person(alex, priya) -> None:
    # Otherwise one administrator makes a second account and approves with it.
    request_role_change(alex, priya, Role.ADMINISTRATOR)
    priya.refresh_from_db()
    assert priya.role == Role.COMMISSIONER


def test_reactivating_a_record_account_needs_a_second_person(alex, amira) -> None:
    from cse_cases.services import account_update

    account_update(by=verified(alex), account=amira, data={"is_active": False})
    outcome = account_update(by=verified(alex), account=amira, data={"is_active": True})
    assert outcome.pending is not None
    amira.refresh_from_db()
    assert not amira.is_active


def test_authenticator_removal_needs_approval_and_tells_the_holder(
    alex, amira, dev, run_tasks
) -> None:
    from cse_cases.services import account_change_decide, authenticator_removal_request

    with run_tasks():
        change = authenticator_removal_request(
            by=verified(alex), account=amira, reason="Lost her phone"
        )
    assert TOTPDevice.objects.filter(user=amira).exists()
    assert amira.email in {a for m in mail.outbox for a in m.to}
    account_change_decide(by=verified(dev), change_request=change, approve=True)
    assert not TOTPDevice.objects.filter(user=amira).exists()
    assert account_events(amira).filter(user_id=dev.pk).get().fields_changed == {
        "authenticators": ["1", "0"]
    }


def test_an_administrator_cannot_remove_their_own_authenticator(alex) -> None:
    from cse_cases.services import AccountError, authenticator_removal_request

    with pytest.raises(AccountError):
        authenticator_removal_request(by=verified(alex), account=alex, reason="x")


def test_only_one_request_waits_per_account(alex, priya) -> None:
    from cse_cases.services import AccountError, account_update

    request_role_change(alex, priya)
    with pytest.raises(AccountError, match="already waits"):
        account_update(by=verified(alex), account=priya, data={"role": Role.SUPERVISOR})


def test_unknown_fields_are_refused(alex, amira) -> None:
    from cse_cases.services import AccountError, account_update

    with pytest.raises(AccountError):
        account_update(by=verified(alex), account=amira, data={"password": "x"})
    with pytest.raises(AccountError):
        account_update(by=verified(alex), account=amira, data={"is_superuser": True})


def test_only_administrators_change_accounts(jo, amira) -> None:
    from django.core.exceptions import PermissionDenied

    from cse_cases.services import account_update

    with pytest.raises(PermissionDenied):
        account_update(by=verified(jo), account=amira, data={"job_title": "x"})


# --- The pages: deciding account changes -----------------------------------------


def test_ig_approves_from_the_account_changes_page(alex, priya, dev, sign_in) -> None:
    change = request_role_change(alex, priya)
    client = sign_in(dev)
    home = client.get("/").content.decode()
    assert "1 account change waiting" in home
    listing = client.get("/account-changes/").content.decode()
    assert "Priya Shah" in listing
    assert "Decide" in listing
    page = client.get(f"/account-changes/{change.pk}/").content.decode()
    assert "Commissioner to <strong>CSE lead</strong>" in page
    response = client.post(f"/account-changes/{change.pk}/", {"decision": "approve", "note": "OK"})
    assert response["Location"] == "/account-changes/"
    priya.refresh_from_db()
    assert priya.role == Role.CSE_LEAD


def test_the_requester_is_offered_only_withdrawal(alex, priya, sign_in) -> None:
    change = request_role_change(alex, priya)
    client = sign_in(alex)
    assert "1 account change waiting" in client.get("/").content.decode()
    page = client.get(f"/account-changes/{change.pk}/").content.decode()
    assert 'value="approve"' not in page
    assert 'value="withdraw"' in page
    refused = client.post(f"/account-changes/{change.pk}/", {"decision": "approve"})
    assert refused.status_code == 400
    assert "a second person must" in refused.content.decode()
    priya.refresh_from_db()
    assert priya.role == Role.COMMISSIONER
    client.post(f"/account-changes/{change.pk}/", {"decision": "withdraw"})
    change.refresh_from_db()
    assert change.status == "withdrawn"


def test_a_stale_request_is_refused_with_a_message_on_the_page(alex, priya, dev, sign_in) -> None:
    from cse_cases.services import account_update

    change = request_role_change(alex, priya)
    account_update(by=verified(alex), account=priya, data={"is_active": False})
    response = sign_in(dev).post(f"/account-changes/{change.pk}/", {"decision": "approve"})
    assert response.status_code == 400
    assert "has changed since" in response.content.decode()


@pytest.mark.parametrize(
    "data", [{}, {"decision": "maybe"}, {"decision": "approve", "note": "x" * 3000}]
)
def test_bad_decisions_get_a_message_not_a_500(alex, priya, dev, sign_in, data) -> None:
    change = request_role_change(alex, priya)
    response = sign_in(dev).post(f"/account-changes/{change.pk}/", data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    priya.refresh_from_db()
    assert priya.role == Role.COMMISSIONER


@pytest.mark.parametrize("path", ["/account-changes/abc/", "/accounts/abc/", "/accounts/x1/"])
def test_non_numeric_ids_are_404(alex, sign_in, path) -> None:
    assert sign_in(alex).get(path).status_code == 404


def test_outsiders_get_404(alex, priya, tom, jo, amira, rhian, afon_valley, sign_in) -> None:
    change = request_role_change(alex, priya)
    afon_ig = UserFactory(
        username="ffion", role=Role.INFORMATION_GOVERNANCE, areas=[afon_valley], agency=rhian.agency
    )
    for person in (tom, jo, amira, afon_ig):
        client = sign_in(person)
        assert client.get(f"/account-changes/{change.pk}/").status_code == 404, person
        assert (
            client.post(f"/account-changes/{change.pk}/", {"decision": "approve"}).status_code
            == 404
        )
        assert client.get(f"/accounts/{priya.pk}/").status_code == 404, person
    assert sign_in(tom).get("/account-changes/").status_code == 404
    assert "Priya" not in sign_in(afon_ig).get("/account-changes/").content.decode()
    priya.refresh_from_db()
    assert priya.role == Role.COMMISSIONER


def test_the_holder_sees_what_was_done_to_their_account(alex, amira, sign_in) -> None:
    from cse_cases.services import account_update, authenticator_removal_request

    account_update(by=verified(alex), account=amira, data={"job_title": "Team lead"})
    authenticator_removal_request(by=verified(alex), account=amira, reason="Lost phone")
    page = sign_in(amira).get(f"/accounts/{amira.pk}/").content.decode()
    assert "Your account" in page
    assert "Job title: Social worker to Team lead" in page
    assert "Remove the authenticator" in page
    assert "Waiting for approval" in page


def test_the_account_changes_page_runs_a_fixed_number_of_queries(
    alex, dev, kingsmere_social_care, kingsmere, sign_in, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def some_requests(n: int) -> None:
        for _ in range(n):
            person = UserFactory(
                role=Role.COMMISSIONER, agency=kingsmere_social_care, areas=[kingsmere]
            )
            request_role_change(alex, person)

    client = sign_in(dev)
    some_requests(2)
    client.get("/account-changes/")
    with CaptureQueriesContext(connection) as few:
        client.get("/account-changes/")
    some_requests(12)
    with django_assert_max_num_queries(len(few)):
        response = client.get("/account-changes/")
    assert len(response.context["page"].pending) == 14
    assert all(row.may_decide for row in response.context["page"].pending)


def test_createsuperuser_makes_an_administrator_not_a_superuser_and_no_password_is_shown(
    db,
) -> None:
    # Management commands are for those with the server's shell, outside the
    # two-person rule; they still cannot make a superuser (0002_no_superusers).
    from django.db import IntegrityError, transaction

    root = User.objects.create_superuser("root", "root@example.org", "x" * 16)
    assert root.role == Role.ADMINISTRATOR
    assert not root.is_superuser
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=root.pk).update(is_superuser=True)


def test_a_new_job_title_does_not_make_a_request_stale(alex, priya, dev) -> None:
    from cse_cases.services import account_change_decide, account_update

    change = request_role_change(alex, priya)
    account_update(by=verified(alex), account=priya, data={"job_title": "Head of service"})
    account_change_decide(by=verified(dev), change_request=change, approve=True)
    priya.refresh_from_db()
    assert priya.role == Role.CSE_LEAD


def test_a_new_email_cannot_slip_in_beside_an_authenticator_removal(alex, amira, dev) -> None:
    # Redirecting the email, then having a reset link sent there, is half a
    # takeover: while an authenticator removal waits, the address cannot change,
    # and a change made outside the service makes the request stale.
    from cse_cases.services import (
        AccountError,
        account_change_decide,
        account_update,
        authenticator_removal_request,
    )

    change = authenticator_removal_request(by=verified(alex), account=amira, reason="Lost")
    with pytest.raises(AccountError, match="already waits for approval"):
        account_update(by=verified(alex), account=amira, data={"email": "mine@example.net"})
    User.objects.filter(pk=amira.pk).update(email="mine@example.net")
    with pytest.raises(AccountError, match="changed since"):
        account_change_decide(by=verified(dev), change_request=change, approve=True)
    assert TOTPDevice.objects.filter(user=amira).exists()


def test_the_account_page_runs_a_fixed_number_of_queries(
    alex, amira, sign_in, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cse_cases.services import account_change_withdraw, account_update

    def some_changes(n: int) -> None:
        for i in range(n):
            account_update(by=verified(alex), account=amira, data={"job_title": f"Title {i}"})
            change = account_update(
                by=verified(alex), account=amira, data={"role": Role.SUPERVISOR}
            ).pending
            account_change_withdraw(by=verified(alex), change_request=change)

    client = sign_in(amira)
    some_changes(1)
    client.get(f"/accounts/{amira.pk}/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/accounts/{amira.pk}/")
    some_changes(8)
    with django_assert_max_num_queries(len(few)):
        response = client.get(f"/accounts/{amira.pk}/")
    assert len(response.context["page"].requests) == 9
