"""PDFs load Harbour's own static files and nothing else.

Text in a record is typed by many people. Whatever it says, making a PDF of it
must never send a request (to the network or to a service inside it) or read
a file outside the static folders.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assessments.meetings import services
from cse_cases.pdf import BASE_URL, RefusedURL, render_pdf, static_file_for, url_fetcher
from tests.conftest import signed_in_client, verified


class Listener:
    """A tiny HTTP server on the loopback address that counts every request."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                listener.hits.append(self.path)
                body = b"body { color: red }"
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()


@pytest.fixture
def local_png(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "secret.png"
    Image.new("RGB", (4, 4), "red").save(path)
    return path


def hostile_html(listener: Listener, local_png: Path) -> str:
    """Every way a document can ask WeasyPrint to fetch something."""
    return f"""<!DOCTYPE html>
<html><head>
<link rel="stylesheet" href="{listener.url("/link.css")}">
<link rel="stylesheet" href="file:///etc/passwd">
<style>@import url("{listener.url("/import.css")}");</style>
</head><body>
<p>Seen at the station with two adults.</p>
<img src="{listener.url("/x.png")}">
<img src="file://{local_png}">
<p style="background: url({listener.url("/bg.png")})">styled</p>
<img src="data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'>\
<image href='{listener.url("/svg.png")}'/></svg>">
<img src="/static/../../etc/passwd">
</body></html>"""


def images_in(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def pdf_words(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_weasyprint_on_its_own_would_fetch_them(listener, local_png) -> None:
    """The control: without Harbour's fetcher, the same document reaches the
    listener and reads the local file (so the test below can see a fetch)."""
    from weasyprint import HTML

    pdf = HTML(string=hostile_html(listener, local_png)).write_pdf()
    assert {"/link.css", "/import.css", "/x.png", "/bg.png"} <= set(listener.hits)
    assert images_in(pdf) >= 1


def test_a_hostile_document_fetches_nothing_and_still_renders(listener, local_png) -> None:
    pdf = render_pdf(hostile_html(listener, local_png))
    assert listener.hits == []
    assert images_in(pdf) == 0
    assert "Seen at the station with two adults." in pdf_words(pdf)


def test_hostile_minutes_in_a_meeting_record_fetch_nothing(listener, panel, jo, jade) -> None:
    subject = panel.subjects.get(young_person=jade)
    minutes = (
        f'<img src="{listener.url("/img")}"> <link href="file:///etc/passwd"> '
        f'<style>@import "{listener.url("/import.css")}";</style> '
        f'<p style="background:url({listener.url("/bg")})">Met the youth worker.</p>'
    )
    services.minutes_save(
        by=verified(jo), subject=subject, version=1, minutes=minutes, agreed_level="high"
    )
    response = signed_in_client(jo).get(reverse("meeting-pdf", args=[panel.pk, "record"]))
    assert response.status_code == 200
    assert listener.hits == []
    words = pdf_words(response.content)
    # Autoescaping shows the text as typed; nothing of it became markup.
    assert "Met the youth worker." in words
    assert "file:///etc/passwd" in words


def test_our_own_stylesheet_still_loads(panel, jo) -> None:
    """The footer comes from static/pdf/meeting.css's @page rule."""
    response = signed_in_client(jo).get(reverse("meeting-pdf", args=[panel.pk, "pack"]))
    assert "OFFICIAL-SENSITIVE · page 1 of" in pdf_words(response.content)


# --- The fetcher itself -------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "https://example.org/static/pdf/meeting.css",
        "file:///etc/passwd",
        "file:///static/pdf/meeting.css",
        "data:text/css,body{color:red}",
        "data:image/png;base64,iVBORw0KGgo=",
        "ftp://127.0.0.1/x",
        "gopher://127.0.0.1:70/x",
        "//127.0.0.1/static/pdf/meeting.css",
        "/static/pdf/meeting.css",  # never absolute: WeasyPrint joins it to BASE_URL
        f"{BASE_URL}etc/passwd",
        f"{BASE_URL}static/../../etc/passwd",
        f"{BASE_URL}static/pdf/../../../../etc/passwd",
        f"{BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE_URL}static/..%2f..%2fetc/passwd",
        f"{BASE_URL}static//etc/passwd",
        f"{BASE_URL}static/%2fetc/passwd",
        f"{BASE_URL}static/pdf\\..\\..\\settings.py",
        f"{BASE_URL}static/pdf/meeting.css%00.png",
        f"{BASE_URL}static/",
        f"{BASE_URL}static/pdf/no-such-file.css",
        "https://harbour.invalid.example.org/static/pdf/meeting.css",
        "https://user@harbour.invalid/static/pdf/meeting.css",
        "https://harbour.invalid:8443/static/pdf/meeting.css",
        "http://harbour.invalid/static/pdf/meeting.css",
    ],
)
def test_the_fetcher_refuses_anything_but_our_static_files(url: str) -> None:
    with pytest.raises(RefusedURL):
        static_file_for(url)
    with pytest.raises(ValueError, match="static file"):  # what WeasyPrint catches and logs
        url_fetcher().fetch(url)


def test_a_joined_traversal_lands_outside_static_and_is_refused() -> None:
    from urllib.parse import urljoin

    with pytest.raises(RefusedURL):
        url_fetcher().fetch(urljoin(BASE_URL, "/static/../../etc/passwd"))


def test_the_fetcher_serves_our_css_and_fonts_from_disk() -> None:
    fetcher = url_fetcher()
    css = fetcher.fetch(f"{BASE_URL}static/pdf/meeting.css")
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    font = fetcher.fetch(f"{BASE_URL}static/govuk/assets/fonts/bold-b542beb274-v2.woff2")
    assert font.content_type == "font/woff2"
    assert font.read()[:4] == b"wOF2"
