"""Request middleware: nothing but sign-in is reachable without a full sign-in,
and nothing a signed-in person sees is kept in a cache."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.cache import add_never_cache_headers

# Paths that answer JSON and authenticate for themselves (session or token).
# The API docs page is HTML, so it sends people to sign in like any page.
JSON_API_PREFIXES = ("/api/v1/", "/api/schema/")


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, with Harbour's rules on top.

    - A session that is authenticated but not verified by two-factor is ended
      (our sign-in never creates one; this guards any other path to login()).
    - The API authenticates for itself (session or token) and answers 401 in
      its own error format, so /api/ is left to DRF.
    - An htmx request gets an HX-Redirect rather than a sign-in page swapped
      into part of the page.
    - A browser whose session expired is told it was signed out for inactivity.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable,
        view_args: list,
        view_kwargs: dict,
    ) -> HttpResponse | None:
        user = request.user
        if user.is_authenticated and not user.is_verified():
            logout(request)
        if request.path_info.startswith(JSON_API_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)

    def handle_no_permission(self, request: HttpRequest, view_func: Callable) -> HttpResponse:
        login_url = resolve_url(self.get_login_url(view_func))
        query = {self.get_redirect_field_name(view_func): request.get_full_path()}
        if settings.SESSION_COOKIE_NAME in request.COOKIES and not request.session.keys():
            # The browser still holds a session cookie the server no longer
            # honours: the session ran out while idle.
            query["timed_out"] = "1"
        target = f"{login_url}?{urlencode(query)}"
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(status=204, headers={"HX-Redirect": target})
        return HttpResponseRedirect(target)


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on everything a signed-in person is sent and on
    every API answer.

    Harbour is used on shared computers in schools and police stations: a page
    or API answer left in the browser's cache (or a proxy's) is a child's record
    left for the next person. Static files stay cacheable (WhiteNoise answers
    them before this middleware runs; the prefix test covers development), and
    so does the health check, which reveals nothing. A response that already
    says no-store (the PDFs say ``private, no-store``) is left as it is.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self._applies(request) and "no-store" not in response.get("Cache-Control", ""):
            # Django's own helper: no-store, no-cache, must-revalidate, private,
            # max-age=0 and an Expires in the past, merged with what is there.
            add_never_cache_headers(response)
        return response

    @staticmethod
    def _applies(request: HttpRequest) -> bool:
        path = request.path_info
        if path.startswith(settings.STATIC_URL) or path == "/healthz":
            return False
        if path.startswith("/api/"):
            return True
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
