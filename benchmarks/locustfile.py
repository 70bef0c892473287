"""The load test's clients (run by bench_load with locust, headless).

Each client holds a signed-in, two-factor-verified session made by
bench_load; the addresses come from it too. Requests carry the header the
TLS-terminating proxy sets in production, as gunicorn would receive them.
"""

from __future__ import annotations

import os

from locust import HttpUser, between, task

COOKIE = os.environ.get("HARBOUR_LOAD_SESSION_COOKIE", "harbour_session")
FLOOR = "/account/password/"


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(0.05, 0.2)
    session_env = ""

    def on_start(self) -> None:
        # The session cookie is Secure in production: sent by hand over the
        # loopback, as the proxy would pass it on.
        self.client.headers.update(
            {
                "Cookie": f"{COOKIE}={os.environ[self.session_env]}",
                "X-Forwarded-Proto": "https",
            }
        )

    def page(self, name: str, url: str) -> None:
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"answered {answer.status_code}")

    @task
    def floor(self) -> None:
        self.page("floor page", FLOOR)


class Practitioner(SignedIn):
    session_env = "HARBOUR_LOAD_PRACTITIONER"

    @task
    def record(self) -> None:
        self.page("record page", os.environ["HARBOUR_LOAD_RECORD"])

    @task
    def my_work(self) -> None:
        self.page("my work", os.environ["HARBOUR_LOAD_MY_WORK"])


class CseLead(SignedIn):
    session_env = "HARBOUR_LOAD_CSE_LEAD"

    @task
    def search(self) -> None:
        self.page("search", os.environ["HARBOUR_LOAD_SEARCH"])

    @task
    def queue(self) -> None:
        self.page("screening queue", os.environ["HARBOUR_LOAD_QUEUE"])
