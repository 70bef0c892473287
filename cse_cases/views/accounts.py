"""Account changes: the page of changes waiting for a second person, one
change to decide, an account's own page, and the holder's password reset.

Thin: the access policy says who sees and decides, the accounts service
applies. An administrator cannot take over an account from here or from
Django admin (docs/access.md, "Accounts and administrators").
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from cse_cases import access, selectors, services
from cse_cases.forms import GovukFormMixin

DECISIONS = {"approve", "reject", "withdraw"}
NOTE_MAX_CHARACTERS = 2000


@require_safe
def account_changes(request: HttpRequest) -> HttpResponse:
    if not access.may_review_account_changes(request.user):
        raise Http404
    page = selectors.account_changes_page(request.user)
    return render(request, "accounts/changes.html", {"page": page})


@require_http_methods(["GET", "POST"])
def account_change(request: HttpRequest, pk: int) -> HttpResponse:
    change_request = access.account_change_request_for(request.user, pk)
    errors: list[str] = []
    note = ""
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        note = request.POST.get("note", "")
        if decision not in DECISIONS:
            errors.append("Choose whether to approve or reject the change")
        elif len(note) > NOTE_MAX_CHARACTERS:
            errors.append(f"Keep the note to {NOTE_MAX_CHARACTERS} characters or fewer")
        else:
            try:
                if decision == "withdraw":
                    services.account_change_withdraw(by=request.user, change_request=change_request)
                else:
                    services.account_change_decide(
                        by=request.user,
                        change_request=change_request,
                        approve=decision == "approve",
                        note=note,
                    )
            except services.AccountError as error:
                errors.append(error.message)
            else:
                done = {"approve": "approved", "reject": "rejected", "withdraw": "withdrawn"}
                messages.success(request, f"The change is {done[decision]}.")
                return redirect("account-changes")
    row = selectors.account_change_row(request.user, change_request)
    return render(
        request,
        "accounts/change.html",
        {
            "row": row,
            "events": selectors.account_events(change_request.account, limit=10),
            "errors": errors,
            "note": note,
        },
        status=400 if errors else 200,
    )


@require_safe
def account(request: HttpRequest, pk: int) -> HttpResponse:
    page = selectors.account_page(request.user, access.account_for(request.user, pk))
    return render(
        request,
        "accounts/account.html",
        {"page": page, "is_holder": page.account.pk == request.user.pk},
    )


class ResetPasswordForm(GovukFormMixin, SetPasswordForm):
    pass


@method_decorator([login_not_required, never_cache], name="dispatch")
class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """The holder's emailed link: they, and only they, choose the password.
    Saving it ends their API tokens and emails a notice (cse_cases/receivers.py)."""

    form_class = ResetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetComplete(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
