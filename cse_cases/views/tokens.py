"""API token pages: a person's own tokens, information governance's review,
and the administrator's tokens for partner systems' service accounts.

A new key is shown once, on the page that answers the form that made it
(never in a redirect, the session, a message or a log), and the page is not
cached. Because that page answers a POST, each form carries a one-time value:
sending the same form again (a reload, a double click) makes no second token.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_http_methods, require_POST

from cse_cases import access
from cse_cases.services import RecordError, tokens
from cse_cases.token_forms import ServiceAccountForm, ServiceTokenForm, TokenForm

ONCE_KEY = "harbour_token_forms"
ALREADY_SENT = (
    "That form was already sent, so no second token was made. If you did not copy "
    "the key, revoke the token and make another."
)


def _form_once(request: HttpRequest) -> str:
    """A value the next token form carries; a few are kept for several tabs."""
    value = secrets.token_urlsafe(16)
    request.session[ONCE_KEY] = [*request.session.get(ONCE_KEY, [])[-4:], value]
    return value


def _use_once(request: HttpRequest) -> bool:
    pending = request.session.get(ONCE_KEY, [])
    value = request.POST.get("once", "")
    if value not in pending:
        return False
    pending.remove(value)
    request.session[ONCE_KEY] = pending
    return True


@sensitive_variables("issued")
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    if not access.may_create_own_api_token(request.user):
        raise Http404
    if request.method == "POST" and not _use_once(request):
        messages.info(request, ALREADY_SENT)
        return redirect("api-tokens")
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = tokens.api_token_create(
                by=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except RecordError as error:
            form.add_record_error(error)
        else:
            form = TokenForm()
    own = access.api_tokens_visible_to(request.user).filter(user=request.user)
    return render(
        request,
        "tokens/account.html",
        {
            "form": form,
            "issued": issued,
            "tokens": own,
            "now": timezone.now(),
            "once": _form_once(request),
        },
    )


@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = access.api_token_for(request.user, pk)
    tokens.api_token_revoke(by=request.user, token=token)
    messages.success(request, f"The token '{token.name}' is revoked: it no longer works.")
    if token.user_id == request.user.pk:
        return redirect("api-tokens")
    if access.may_review_api_tokens(request.user):
        return redirect("api-token-review")
    return redirect("service-tokens")


def api_token_review(request: HttpRequest) -> HttpResponse:
    if not access.may_review_api_tokens(request.user):
        raise Http404
    visible = (
        access.api_tokens_visible_to(request.user)
        .exclude(user=request.user)
        .order_by("user__last_name", "user__first_name", "user__username", "-created")
    )
    return render(
        request,
        "tokens/review.html",
        {"tokens": visible, "now": timezone.now(), "show_holder": True},
    )


@sensitive_variables("issued")
@require_http_methods(["GET", "POST"])
def service_tokens(request: HttpRequest) -> HttpResponse:
    if not access.may_issue_service_tokens(request.user):
        raise Http404
    accounts = access.service_accounts_visible_to(request.user).select_related("agency")
    account_form = ServiceAccountForm(prefix="account")
    token_form = ServiceTokenForm(prefix="token", accounts=accounts.filter(is_active=True))
    issued = None
    if request.method == "POST" and request.POST.get("action") == "account":
        account_form = ServiceAccountForm(request.POST, prefix="account")
        if account_form.is_valid():
            data = account_form.cleaned_data
            try:
                account = tokens.service_account_create(
                    by=request.user,
                    username=data["username"],
                    name=data["system_name"],
                    email=data["email"],
                    agency=data["agency"],
                )
            except RecordError as error:
                account_form.add_record_error(error)
            else:
                messages.success(
                    request,
                    f"Service account {account.username} created. It waits for a second "
                    "person to switch it on (Account changes); then issue it a token here.",
                )
                return redirect("service-tokens")
    elif request.method == "POST" and not _use_once(request):
        messages.info(request, ALREADY_SENT)
        return redirect("service-tokens")
    elif request.method == "POST":
        token_form = ServiceTokenForm(
            request.POST, prefix="token", accounts=accounts.filter(is_active=True)
        )
        if token_form.is_valid():
            data = token_form.cleaned_data
            try:
                issued = tokens.service_token_issue(
                    by=request.user, account=data["account"], name=data["name"], days=data["days"]
                )
            except RecordError as error:
                token_form.add_record_error(error)
            else:
                token_form = ServiceTokenForm(
                    prefix="token", accounts=accounts.filter(is_active=True)
                )
    live = access.api_tokens_visible_to(request.user).filter(user__is_service_account=True)
    accounts = accounts.prefetch_related(
        Prefetch("auth_token_set", queryset=live.order_by("-created"), to_attr="live_tokens")
    )
    return render(
        request,
        "tokens/service.html",
        {
            "accounts": accounts,
            "account_form": account_form,
            "token_form": token_form,
            "issued": issued,
            "now": timezone.now(),
            "once": _form_once(request),
        },
    )
