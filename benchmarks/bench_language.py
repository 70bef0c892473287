"""The language check: how well it generalises, and how fast it answers.

Quality, on the held-out set (assessments/language/corpus/test.tsv, written by
an author who never saw the rules; see assessments/language/evaluation.py):
precision and recall at least 0.95 overall, printed for each category. The
reference is the same figures on the development sets the rules were tuned
on: the gap between the two is how much the rules fit their own examples.

Speed: the check of a 2,000-word text (case-note sentences from the corpus,
harmful and sound, in turn) under 50 ms at the 95th percentile; and the
as-you-type round trip, a signed-in POST to /language/check/ through every
middleware and the findings template, under 150 ms at the 95th percentile.
The reference for the round trip is the framework floor (the cheapest
signed-in page).
"""

from __future__ import annotations

import statistics
import time

from django.contrib.auth.hashers import make_password
from django.urls import reverse

from assessments.language import evaluation
from assessments.language.rules import CATEGORIES, VERSION, check
from benchmarks.harness import AT_LEAST, UNDER, Goal, Row, framework_floor, ms, signed_in_client
from cse_cases.models import Agency, AgencyKind, Role, User

QUALITY_GOAL = 0.95
CHECK_GOAL_MS = 50
ROUND_TRIP_GOAL_MS = 150
WORDS = 2_000
RUNS = 60


def _text(words: int) -> str:
    sentences = [example.sentence for example in evaluation.development()]
    out: list[str] = []
    count = 0
    for sentence in sentences * 10:
        out.append(sentence)
        count += len(sentence.split())
        if count >= words:
            break
    return " ".join(out)


def _p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20)[-1]


def _timings(action, runs: int = RUNS, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        action()
    out = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        out.append(time.perf_counter() - began)
    return out


def quality_rows() -> list:
    held = evaluation.score(evaluation.held_out())
    dev = evaluation.score(evaluation.development())
    rows: list = [
        Row("language: rules version", VERSION),
        Row(
            "language: corpus",
            f"{dev.examples + held.examples}",
            f"development {dev.examples}, held out {held.examples}",
        ),
    ]
    for name, scores in (("held out", held), ("development", dev)):
        rows.append(
            Row(
                f"language ({name}): flagged or not",
                f"P {scores.precision:.3f} R {scores.recall:.3f}",
                f"{scores.flagged_tp} found, {scores.flagged_fp} false alarms, "
                f"{scores.flagged_fn} missed",
            )
        )
        for category in CATEGORIES:
            rows.append(
                Row(
                    f"  {name}: {category}",
                    f"P {scores.category_precision(category):.2f} "
                    f"R {scores.category_recall(category):.2f}",
                    f"{scores.tp[category]} found, {scores.fp[category]} false alarms, "
                    f"{scores.fn[category]} missed",
                )
            )
    reference = (
        f"development sets: P {dev.by_category_precision:.3f}, R {dev.by_category_recall:.3f}"
    )
    rows += [
        Goal(
            "language (held out): precision by category",
            round(held.by_category_precision, 3),
            QUALITY_GOAL,
            comparison=AT_LEAST,
            reference=reference,
        ),
        Goal(
            "language (held out): recall by category",
            round(held.by_category_recall, 3),
            QUALITY_GOAL,
            comparison=AT_LEAST,
            reference=reference,
        ),
    ]
    return rows


def speed_rows() -> list:
    text = _text(WORDS)
    words = len(text.split())
    check(text)  # the first call loads spaCy's tables and the rules
    checks = _timings(lambda: check(text))
    user = _writer()
    client = signed_in_client(user)
    url = reverse("language-check")

    def round_trip() -> None:
        response = client.post(url, {"field": "text", "text": text})
        if response.status_code != 200:
            raise RuntimeError(f"POST {url} answered {response.status_code}")

    trips = _timings(round_trip, runs=30)
    floor = framework_floor(client)
    return [
        Goal(
            f"language: check of {words:,} words, 95th percentile",
            round(_p95(checks) * 1000, 1),
            CHECK_GOAL_MS,
            unit=" ms",
            comparison=UNDER,
            runs=f"{len(checks)} runs, median {ms(statistics.median(checks))}",
        ),
        Goal(
            "language: as-you-type round trip, 95th percentile",
            round(_p95(trips) * 1000, 1),
            ROUND_TRIP_GOAL_MS,
            unit=" ms",
            comparison=UNDER,
            runs=f"{len(trips)} runs of {words:,} words",
            reference=f"framework floor {ms(floor)}",
        ),
    ]


def _writer() -> User:
    """A practitioner: the person typing a case note."""
    agency, _ = Agency.objects.get_or_create(
        name="Bench language agency", defaults={"kind": AgencyKind.CHILDRENS_SOCIAL_CARE}
    )
    user, _ = User.objects.get_or_create(
        username="bench.language",
        defaults={
            "agency": agency,
            "role": Role.PRACTITIONER,
            "password": make_password(None),
            "email": "bench.language@example.org",
        },
    )
    return user


def run() -> list:
    return quality_rows() + speed_rows()
