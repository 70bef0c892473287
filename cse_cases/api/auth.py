"""API authentication: a two-factor-verified browser session, or a token."""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, TokenAuthentication

from cse_cases.auth_backends import HarbourModelBackend


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
    """DRF tokens (``manage.py drf_create_token``), with the same account rules as sign-in."""

    def authenticate_credentials(self, key: str):
        user, token = super().authenticate_credentials(key)
        if not HarbourModelBackend().user_can_authenticate(user):
            raise exceptions.AuthenticationFailed("This account cannot use the API.")
        # Token holders are treated as verified: the token is issued by an
        # administrator to a named person or partner system.
        user.is_verified = lambda: True
        return user, token


class VerifiedSessionScheme(SessionScheme):
    """Document the verified session in the OpenAPI schema as a cookie session."""

    target_class = "cse_cases.api.auth.VerifiedSessionAuthentication"
