"""Sign-in (password, then two-factor or enrolment), sign-out and password change."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from cse_cases import signin
from cse_cases.forms import CodeForm, HarbourPasswordChangeForm, SignInForm

NEXT_KEY = "harbour_next"


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Your account is locked because of {settings.AXES_FAILURE_LIMIT} failed attempts "
        f"to sign in. Try again in {minutes} minutes, or ask your Harbour administrator "
        "to unlock it."
    )


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """django-axes calls this whenever a sign-in attempt hits the lockout."""
    form = SignInForm(initial={"username": (credentials or {}).get("username", "")})
    return render(
        request,
        "registration/sign_in.html",
        {"form": form, "locked_message": lockout_message()},
        status=429,
    )


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_not_required
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(_safe_next(request, request.GET.get("next")))
    timed_out = request.GET.get("timed_out") == "1"
    if request.method == "POST":
        form = SignInForm(request.POST)
        if form.is_valid():
            username = form.cleaned_data["username"]
            outcome = signin.check_password(
                request, username=username, password=form.cleaned_data["password"]
            )
            if outcome.locked_out:
                return locked_out(request, credentials={"username": username})
            if outcome.throttled:
                return render(
                    request,
                    "registration/sign_in.html",
                    {"form": form, "throttled": True},
                    status=429,
                )
            if outcome.user is not None:
                next_url = _safe_next(request, request.POST.get("next"))
                signin.begin_pending(request, user=outcome.user)
                request.session[NEXT_KEY] = next_url
                if signin.confirmed_device(outcome.user) is None:
                    return redirect("sign-in-enrol")
                return redirect("sign-in-code")
            # One message for an unknown user and a wrong password: the page
            # must not confirm which usernames exist.
            form.add_error(None, "The username or password is not right. Check them and try again.")
            form.add_error("password", "Enter your password again")
    else:
        form = SignInForm()
    return render(
        request,
        "registration/sign_in.html",
        {"form": form, "next": request.GET.get("next", ""), "timed_out": timed_out},
    )


def _pending_or_restart(request: HttpRequest):
    user = signin.pending_user(request)
    if user is None:
        messages.info(
            request, "Your sign-in took too long. Enter your username and password again."
        )
        return None, redirect("sign-in")
    if signin.is_locked_out(request, username=user.get_username()):
        return None, locked_out(request, credentials={"username": user.get_username()})
    return user, None


def _finish(request: HttpRequest, user, device) -> HttpResponse:
    next_url = request.session.pop(NEXT_KEY, None)
    signin.complete(request, user=user, device=device)
    return HttpResponseRedirect(_safe_next(request, next_url))


@login_not_required
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    user, response = _pending_or_restart(request)
    if response is not None:
        return response
    device = signin.confirmed_device(user)
    if device is None:
        return redirect("sign-in-enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if signin.verify_code(request, user=user, device=device, code=form.cleaned_data["code"]):
            return _finish(request, user, device)
        if signin.is_locked_out(request, username=user.get_username()):
            return locked_out(request, credentials={"username": user.get_username()})
        form.add_error(
            "code",
            "The security code is not right or has expired. Enter the code your app shows now.",
        )
    elif request.method == "POST":
        # A malformed code is still a failed attempt at the second factor.
        signin.record_failed_attempt(request, user=user)
    return render(request, "registration/sign_in_code.html", {"form": form})


@login_not_required
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_enrol(request: HttpRequest) -> HttpResponse:
    user, response = _pending_or_restart(request)
    if response is not None:
        return response
    if signin.confirmed_device(user) is not None:
        return redirect("sign-in-code")
    key = signin.enrolment_key(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and not form.is_valid():
        signin.record_failed_attempt(request, user=user)
    if request.method == "POST" and form.is_valid():
        device = signin.confirm_enrolment(request, user=user, code=form.cleaned_data["code"])
        if device is not None:
            messages.success(
                request,
                "Two-factor sign-in is set up. You will need your app each time you sign in.",
            )
            return _finish(request, user, device)
        if signin.is_locked_out(request, username=user.get_username()):
            return locked_out(request, credentials={"username": user.get_username()})
        form.add_error(
            "code",
            "The security code is not right. Check the app shows Harbour and enter "
            "its current code.",
        )
    return render(
        request,
        "registration/sign_in_enrol.html",
        {
            "form": form,
            "qr_svg": signin.provisioning_qr_svg(user, key),
            "secret": signin.base32_secret(key),
        },
    )


@login_not_required
@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("signed-out")


@login_not_required
def signed_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "registration/signed_out.html")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = HarbourPasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Saving the new password also emails a notice and revokes API tokens
        # (cse_cases/receivers.py), whoever changes it.
        user = form.save()
        # Keep this session signed in; every other session of the user ends.
        update_session_auth_hash(request, user)
        messages.success(request, "Your password has been changed.")
        return redirect("home")
    if request.method == "POST" and "old_password" in form.errors:
        # Guessing the current password from a borrowed session counts
        # towards the lockout like any other wrong password.
        username = request.user.get_username()
        signin.record_failed_attempt(request, user=request.user)
        if signin.is_locked_out(request, username=username):
            logout(request)
            return locked_out(request, credentials={"username": username})
    return render(request, "registration/password_change.html", {"form": form})
