"""Every PDF Harbour makes goes through ``render_pdf``.

WeasyPrint fetches whatever a document names: images, stylesheets, fonts,
``@import`` and ``url()`` in styles, over http, https, ``file:`` and ``data:``.
Records hold text typed by many people, so the fetcher here serves Harbour's
own static files from disk and refuses everything else: no text in a record
can make the server send a request or read a file. Templates name static files
with ``{% static %}``; relative URLs resolve against ``BASE_URL``, an address
that is never contacted.
"""

from __future__ import annotations

import gc
import mimetypes
import posixpath
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join

# Never resolved in DNS (.invalid is reserved, RFC 2606) and never fetched:
# it only gives "/static/..." an absolute form the fetcher recognises.
BASE_URL = "https://harbour.invalid/"
_ORIGIN = urlsplit(BASE_URL)


class RefusedURL(ValueError):
    """A document named something other than one of Harbour's static files."""


def static_file_for(url: str) -> Path:
    """The file on disk for one of our static URLs, or RefusedURL.

    Only ``https://harbour.invalid/static/<path>`` qualifies (what a template's
    ``/static/<path>`` becomes against BASE_URL), and the path may not climb
    out of the static folders.
    """
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (_ORIGIN.scheme, _ORIGIN.netloc):
        raise RefusedURL(f"PDFs load only Harbour's own static files, not {url[:200]!r}.")
    static_url = urlsplit(settings.STATIC_URL).path
    path = unquote(parts.path)
    if not path.startswith(static_url):
        raise RefusedURL(f"Not a static file: {url[:200]!r}.")
    relative = path[len(static_url) :]
    segments = relative.split("/")
    if (
        not relative
        or "\\" in relative
        or "\x00" in relative
        or any(segment in ("", ".", "..") for segment in segments)
        or posixpath.normpath(relative) != relative
    ):
        raise RefusedURL(f"Not a static file: {url[:200]!r}.")
    return _find(relative)


def _find(relative: str) -> Path:
    # Collected files first: in production {% static %} names the hashed copy
    # that only STATIC_ROOT holds.
    candidates: list[str] = []
    try:
        candidates.append(safe_join(str(settings.STATIC_ROOT), relative))
    except SuspiciousFileOperation as error:
        raise RefusedURL(f"Not a static file: {relative[:200]!r}.") from error
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation as error:
        raise RefusedURL(f"Not a static file: {relative[:200]!r}.") from error
    if found:
        candidates.append(found if isinstance(found, str) else found[0])
    for candidate in candidates:
        file = Path(candidate)
        if file.is_file():
            return file
    raise RefusedURL(f"No such static file: {relative[:200]!r}.")


def _fetcher():
    # Imported here: WeasyPrint is heavy and logs as it loads.
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves static files from disk; never opens a connection or a file: URL."""

        def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
            file = static_file_for(url)
            mime_type, _ = mimetypes.guess_type(file.name)
            return URLFetcherResponse(
                url,
                body=file.read_bytes(),
                headers={"Content-Type": mime_type or "application/octet-stream"},
            )

    return StaticOnlyFetcher(allowed_protocols=(_ORIGIN.scheme,), allow_redirects=False)


def url_fetcher():
    """The fetcher every WeasyPrint document must be given."""
    return _fetcher()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a PDF is made.
    WeasyPrint builds a tree of boxes that lives until the PDF is written;
    the collector would otherwise walk it again and again as it grows, which
    took a third of a report's PDF time. With the collector paused, all the
    render allocated stays in the youngest generation, so collecting that
    one afterwards gives the memory back without walking anything older."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect(0)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    with _collector_paused():
        return HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).write_pdf()
