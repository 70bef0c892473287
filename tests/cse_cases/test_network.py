"""Client addresses: trusted only as far as our own proxies."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from cse_cases.network import client_ip


def request_from(remote: str, forwarded: str | None = None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_without_a_proxy_the_header_is_ignored(settings) -> None:
    settings.PROXY_COUNT = 0
    assert client_ip(request_from("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_client_is_the_last_forwarded_address(settings) -> None:
    settings.PROXY_COUNT = 1
    # The client forged the first entry; our proxy appended the real one.
    request = request_from("10.0.0.2", "198.51.100.66, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.django_db
def test_a_bad_host_gets_the_400_page_not_a_crash(client) -> None:
    response = client.get("/sign-in/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert b"Something was wrong with the request" in response.content
