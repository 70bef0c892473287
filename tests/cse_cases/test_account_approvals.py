"""A second person decides what could take over an account (issue 14, item 4).

The story goes on from test_accounts_takeover.py: Alex asks for a change that
would give an account record access, or for an authenticator to be removed;
another administrator (Priya) or, where Alex is the only administrator,
information governance (Dev) approves or rejects it, never Alex himself or the
account's holder. A request decided, withdrawn or made stale by a later change
cannot be approved; the account changes page offers each person only what they
may do, in a fixed number of queries.
"""

from __future__ import annotations

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from cse_cases.models import Role, User
from tests.conftest import verified
from tests.cse_cases.test_accounts_takeover import account_events
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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
