"""A section's figures are read with PostgreSQL's JIT off, for that
section's transaction alone (issue 18: JIT compilation cost the report more
than it saved)."""

from __future__ import annotations

import pytest
from django.db import connections

from reports.measures import compute_section
from reports.tables import Section
from tests.reports.measures.hand_built import context


def jit(using: str) -> str:
    with connections[using].cursor() as cursor:
        cursor.execute("SHOW jit")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_a_section_is_counted_with_jit_off_and_the_setting_does_not_outlive_it(kingsmere):
    ctx = context(kingsmere)
    with connections[ctx.using].cursor() as cursor:
        cursor.execute("SET jit = on")  # whatever the server's default
    seen: list[str] = []

    def build(ctx):  # type: ignore[no-untyped-def]
        seen.append(jit(ctx.using))
        return Section(key="probe", title="Probe", summary="", tables=())

    section = compute_section(build, ctx)

    assert section.key == "probe"
    assert seen == ["off"]
    assert jit(ctx.using) == "on"


@pytest.mark.django_db(transaction=True)
def test_a_section_has_the_reports_work_mem_and_the_setting_does_not_outlive_it(
    kingsmere, settings
):
    settings.REPORTS_WORK_MEM = "48MB"
    ctx = context(kingsmere)
    seen: list[str] = []

    def build(ctx):  # type: ignore[no-untyped-def]
        with connections[ctx.using].cursor() as cursor:
            cursor.execute("SHOW work_mem")
            seen.append(cursor.fetchone()[0])
        return Section(key="probe", title="Probe", summary="", tables=())

    compute_section(build, ctx)
    assert seen == ["48MB"]
    with connections[ctx.using].cursor() as cursor:
        cursor.execute("SHOW work_mem")
        assert cursor.fetchone()[0] != "48MB"
