"""Where a request came from: one answer for lockouts and the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, trusting X-Forwarded-For only from our own proxies.

    With no proxy configured (PROXY_COUNT=0) the header is ignored, because any
    client could forge it. Behind N proxies, each of which appends the address
    it received from, the client is the entry N places from the right.
    """
    if settings.PROXY_COUNT <= 0:
        return request.META.get("REMOTE_ADDR")
    address, _routable = get_client_ip(
        request, proxy_count=settings.PROXY_COUNT, proxy_order="right-most"
    )
    return address or request.META.get("REMOTE_ADDR")
