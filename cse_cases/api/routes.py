"""The API's routes, registered by the app that owns each viewset.

The API router (cse_cases/wiring/api_urls.py) serves every route registered
here, under /api/v1/; each app registers its own from its AppConfig.ready(),
so the core names no feature's viewset:

    routes.register("referrals", ReferralViewSet, basename="referral-api")
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from rest_framework.viewsets import ViewSetMixin


@dataclass(frozen=True)
class Route:
    prefix: str
    viewset: type[ViewSetMixin]
    basename: str


_routes: dict[str, Route] = {}


def register(prefix: str, viewset: type[ViewSetMixin], basename: str) -> Route:
    """Serve `viewset` at /api/v1/<prefix>/, its URL names starting `basename`."""
    route = Route(prefix, viewset, basename)
    existing = _routes.get(prefix)
    if existing is not None and existing != route:
        # Two apps claiming one address would silently hide one of them.
        raise ImproperlyConfigured(
            f"API prefix {prefix!r} is registered twice: {existing.viewset} and {viewset}"
        )
    _routes[prefix] = route
    return route


def routes() -> list[Route]:
    """In registration order (the order of INSTALLED_APPS' ready())."""
    return list(_routes.values())
