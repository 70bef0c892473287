"""Reads run with PostgreSQL's JIT compilation off.

PostgreSQL compiles a statement to machine code once its estimated cost
passes jit_above_cost, and pays hundreds of milliseconds, sometimes tens of
seconds, to do so each time. Harbour's heavy statements are the access
policy's subqueries over many rows, which cross that threshold and gain
nothing from compiling: a one-word name search at 1,000,000 young people
spent 0.67 of its 1.37 s compiling; the network map's links query 37 of
38 s; the report sections took twice as long with it.

It is switched off per transaction (SET LOCAL ends with it), not for the
connection: a startup option such as "-c jit=off" is refused by pgbouncer,
which docs/deployment.md describes running behind (it also suggests
switching JIT off for Harbour's database role). Inside an outer
transaction the block is a savepoint, and the setting then lasts until the
outer transaction ends: later statements of it run without JIT too, which
costs them nothing they need.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction


@contextmanager
def without_jit(using: str = DEFAULT_DB_ALIAS, *, work_mem: str | None = None) -> Iterator[None]:
    """A transaction on `using` whose statements are not JIT-compiled, and,
    given `work_mem`, may use that much memory for each hash or sort: a
    report's IN (subquery) over hundreds of thousands of rows is hashed only
    if the hash fits, and otherwise scanned once for every row outside it
    (the partnership's profile at 1,000,000 young people did not finish in
    nine minutes at the 4 MB default; with 64 MB it took 46 s)."""
    with transaction.atomic(using=using):
        with connections[using].cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            if work_mem:
                cursor.execute("SELECT set_config('work_mem', %s, true)", [work_mem])
        yield
