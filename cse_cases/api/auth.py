"""API authentication and throttling: a two-factor-verified browser session, or a token.

Tokens are django-rest-knox's, on our model (cse_cases.models.ApiToken): the
database holds digests only, every token expires, and a token is refused as
soon as its holder could not sign in or may no longer hold one.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.throttling import UserRateThrottle as DRFUserRateThrottle

from cse_cases import access
from cse_cases.models import ApiToken

# Last use is written at most this often per token: one UPDATE a minute at
# most, not one per request.
LAST_USED_PRECISION = timedelta(minutes=1)
# Our keys are 72 characters (prefix and 64 hex digits); DRF's old ones 40.
MAX_KEY_LENGTH = 200


class VerifiedSessionAuthentication(SessionAuthentication):
    """A browser session counts only once it has passed the two-factor step."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth = result
        if not user.is_verified():
            return None
        return user, auth


class HarbourTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``: knox's digest lookup, with Harbour's rules."""

    def authenticate_credentials(self, token: bytes):
        # Knox decodes and queries whatever it is sent: a key that is not
        # UTF-8, or holds a NUL (which PostgreSQL refuses), would be a server
        # error. Our keys are short and printable ASCII; refuse anything else.
        if len(token) > MAX_KEY_LENGTH or not token.isascii() or not token.decode().isprintable():
            raise exceptions.AuthenticationFailed("Invalid token.")
        return super().authenticate_credentials(token)

    def _cleanup_token(self, auth_token: ApiToken) -> bool:
        # Knox deletes expired tokens here (and the holder's other expired
        # ones, a query per request). An expired token is simply refused; the
        # daily task clears them (services.tokens.api_tokens_clear_expired).
        return auth_token.expiry <= timezone.now()

    def validate_user(self, auth_token: ApiToken):
        user = auth_token.user
        if not access.may_hold_api_token(user):
            raise exceptions.AuthenticationFailed("This account cannot use the API.")
        now = timezone.now()
        if auth_token.last_used_at is None or now - auth_token.last_used_at >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=auth_token.pk).update(last_used_at=now)
            auth_token.last_used_at = now
        # A token was made in a two-factor-verified session, or issued by an
        # administrator (or at the server) to a named system: using it counts
        # as both steps of sign-in.
        user.is_verified = lambda: True
        return user, auth_token


class HarbourTokenScheme(OpenApiAuthenticationExtension):
    """Document the token as ``Authorization: Token <key>`` in the OpenAPI schema
    (named as it was before tokens moved to knox, so clients see no change)."""

    target_class = "cse_cases.api.auth.HarbourTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.authenticate_header(None)
        )


class VerifiedSessionScheme(SessionScheme):
    """Document the verified session in the OpenAPI schema as a cookie session."""

    target_class = "cse_cases.api.auth.VerifiedSessionAuthentication"


class _SettingsRate:
    """Read the rate when asked, not when the class is defined, so a change to
    REST_FRAMEWORK's DEFAULT_THROTTLE_RATES (a deployment, a test) applies."""

    scope: str

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class TokenRateThrottle(_SettingsRate, SimpleRateThrottle):
    """Requests per token: one leaked or runaway token cannot flood the API."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class UserRateThrottle(_SettingsRate, DRFUserRateThrottle):
    """Requests per person or service account, over all their tokens and sessions."""

    scope = "user"
