"""Two-step sign-in: password, then a TOTP code from an authenticator app.

The password step does not sign anybody in. It records a *pending* sign-in in
the session (who, and when); only a correct code completes it with Django's
``login()`` and django-otp's ``otp_login()``. Every user must have a confirmed
TOTP device: someone without one enrols on their first sign-in.

Wrong passwords and wrong codes both count towards django-axes' lockout.
"""

from __future__ import annotations

import time
from base64 import b32encode
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import quote

import qrcode
import qrcode.image.svg
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, login, user_login_failed
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from cse_cases.models import User
from cse_cases.network import client_ip

PENDING_KEY = "harbour_pending_sign_in"
ENROL_KEY = "harbour_enrolment_key"
DEVICE_NAME = "Authenticator app"


@dataclass(frozen=True)
class PasswordOutcome:
    user: User | None
    locked_out: bool
    throttled: bool = False


def _address_key(request: HttpRequest) -> str:
    return f"sign-in-failures:{client_ip(request)}"


def address_throttled(request: HttpRequest) -> bool:
    """Too many failed sign-ins from one address, across any usernames.

    The account lockout stops guessing one person's password; this stops one
    address trying a few passwords against every username. The limit is high
    because a council's staff share a handful of outbound addresses.
    """
    return cache.get(_address_key(request), 0) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


def _count_address_failure(request: HttpRequest) -> None:
    key = _address_key(request)
    # add() starts the window; incr() counts within it without resetting it.
    cache.add(key, 0, timeout=settings.SIGN_IN_ADDRESS_WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, timeout=settings.SIGN_IN_ADDRESS_WINDOW_SECONDS)


def check_password(request: HttpRequest, *, username: str, password: str) -> PasswordOutcome:
    """The password step. Axes refuses a locked-out account before checking."""
    if address_throttled(request):
        return PasswordOutcome(user=None, locked_out=False, throttled=True)
    user = authenticate(request, username=username, password=password)
    locked_out = bool(getattr(request, "axes_locked_out", False))
    if user is None:
        _count_address_failure(request)
    return PasswordOutcome(user=None if locked_out else user, locked_out=locked_out)


def is_locked_out(request: HttpRequest, *, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, credentials={"username": username})


def begin_pending(request: HttpRequest, *, user: User) -> None:
    # A new session key at each privilege change defeats session fixation.
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"user_id": user.pk, "started": time.time()}


def pending_user(request: HttpRequest) -> User | None:
    """The user who passed the password step, if they did so recently."""
    pending = request.session.get(PENDING_KEY)
    if not pending:
        return None
    if time.time() - pending["started"] > settings.SIGN_IN_PENDING_SECONDS:
        del request.session[PENDING_KEY]
        return None
    return User.objects.filter(pk=pending["user_id"], is_active=True).first()


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def record_failed_attempt(request: HttpRequest, *, user: User) -> None:
    """A wrong code (or a wrong current password) counts towards the lockout."""
    user_login_failed.send(
        sender=__name__,
        credentials={"username": user.get_username()},
        request=request,
    )


def verify_code(request: HttpRequest, *, user: User, device: TOTPDevice, code: str) -> bool:
    if device.verify_token(code.strip().replace(" ", "")):
        return True
    record_failed_attempt(request, user=user)
    return False


def complete(request: HttpRequest, *, user: User, device: TOTPDevice) -> None:
    request.session.pop(PENDING_KEY, None)
    login(request, user, backend="cse_cases.auth_backends.HarbourModelBackend")
    otp_login(request, device)


# --- Enrolment ------------------------------------------------------------------
# The secret being enrolled lives only in this browser's session until a code
# proves the person's app holds it; only then does a device exist. Someone
# else who starts a sign-in with the same password gets a different secret.


def enrolment_key(request: HttpRequest) -> str:
    """The hex TOTP key this session is enrolling (made on first use)."""
    key = request.session.get(ENROL_KEY)
    if key is None:
        key = random_hex(20)
        request.session[ENROL_KEY] = key
    return key


def confirm_enrolment(request: HttpRequest, *, user: User, code: str) -> TOTPDevice | None:
    key = request.session.get(ENROL_KEY)
    if key is None:
        return None
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        record_failed_attempt(request, user=user)
        return None
    with transaction.atomic():
        # One authenticator per person: enrolling replaces any earlier device.
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, name=DEVICE_NAME, key=key, confirmed=True, last_t=totp.t()
        )
    del request.session[ENROL_KEY]
    return device


def base32_secret(key_hex: str) -> str:
    return b32encode(bytes.fromhex(key_hex)).decode().rstrip("=")


def provisioning_qr_svg(user: User, key_hex: str) -> str:
    """An otpauth:// URI as an inline SVG QR code (no image request, no inline script)."""
    issuer = settings.OTP_TOTP_ISSUER
    label = quote(f"{issuer}:{user.get_username()}")
    uri = (
        f"otpauth://totp/{label}?secret={base32_secret(key_hex)}"
        f"&issuer={quote(issuer)}&digits=6&period=30"
    )
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Drop the XML declaration so the SVG can sit inside HTML, and name the image.
    svg = svg[svg.index("<svg") :]
    return svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1
    )
