"""Run a heavy, often-repeated statement as a PostgreSQL prepared statement.

The access policy makes some statements large: the record page's timeline (a
UNION of a dozen scoped parts), its links (visibility of both young people and
of the person of concern), the record and its cases. PostgreSQL spends 1-25 ms
planning each and well under that running it. A prepared statement is
planned for the first few runs and then runs on its generic plan, so the
planning is paid a few times per database connection (connections are kept:
CONN_MAX_AGE) instead of on every page.

It is prepared in the same round trip as its first run ("PREPARE ...;
EXECUTE ..."), so a page runs the same number of statements either way; a
statement whose parameters are not all of a plain type (PREPARE needs each
one's type), or past KEPT_PER_CONNECTION different ones, runs as it always did.

``settings.DATABASE_PREPARED_STATEMENTS`` turns it off: behind a pooler that
hands each transaction a different server session (pgbouncer's transaction
mode) a statement prepared on one session is unknown on the next.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

# Different statements prepared on one database connection, at most.
KEPT_PER_CONNECTION = 200

_PLACEHOLDER = re.compile(r"%([s%])")
_PREPARED_ATTRIBUTE = "_harbour_prepared_statements"


def prepared_on(connection: Any) -> set[str]:
    """The statements prepared on this database session: kept with the
    wrapper, and forgotten when it connects again (a new session has none)."""
    kept = getattr(connection, _PREPARED_ATTRIBUTE, None)
    if kept is None or kept[0] is not connection.connection:
        kept = (connection.connection, set())
        setattr(connection, _PREPARED_ATTRIBUTE, kept)
    names: set[str] = kept[1]
    return names


def types_of(params: Sequence[Any]) -> tuple[str, ...] | None:
    """PostgreSQL types for the parameters, or None if one is not plainly typed
    (a parameter alone in a select list has no type PostgreSQL could infer)."""
    types = []
    for value in params:
        if isinstance(value, bool):
            types.append("boolean")
        elif isinstance(value, int):
            types.append("bigint")
        elif isinstance(value, str):
            types.append("text")
        elif isinstance(value, datetime) and value.tzinfo is not None:
            types.append("timestamptz")
        else:
            return None
    return tuple(types)


def statement_name(sql: str, types: tuple[str, ...]) -> str:
    digest = hashlib.sha256(f"{types}{sql}".encode()).hexdigest()[:24]
    return f"harbour_{digest}"


def as_prepared(
    sql: str, params: Sequence[Any], prepared: set[str], types: tuple[str, ...] | None = None
) -> tuple[str, str | None]:
    """The statement to send for `sql`, and the name it prepares (None if it
    prepares nothing: already prepared, or it cannot or should not be)."""
    if not settings.DATABASE_PREPARED_STATEMENTS:
        return sql, None
    types = types if types is not None else types_of(params)
    if types is None or len(types) != len(params):
        return sql, None
    name = statement_name(sql, types)
    execute = f"EXECUTE {name}({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}"
    if name in prepared:
        return execute, None
    if len(prepared) >= KEPT_PER_CONNECTION:
        return sql, None
    numbers = iter(range(1, len(params) + 1))
    # Django's placeholders become PostgreSQL's numbered ones; a literal %
    # stays doubled, as the driver still reads the whole text for parameters.
    body = _PLACEHOLDER.sub(lambda m: f"${next(numbers)}" if m[1] == "s" else "%%", sql)
    declared = f"({', '.join(types)})" if types else ""
    return f"PREPARE {name}{declared} AS {body}; {execute}", name


@contextmanager
def prepared_statements(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Every SELECT run inside the block goes as a prepared statement (unless
    the deployment turned them off)."""
    if not settings.DATABASE_PREPARED_STATEMENTS:
        yield
        return
    connection = connections[using]

    def prepare(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
        if many or not params or not sql.lstrip().startswith("SELECT"):
            return execute(sql, params, many, context)
        prepared = prepared_on(connection)
        text, preparing = as_prepared(sql, params, prepared)
        result = execute(text, params, many, context)
        if preparing:
            prepared.add(preparing)
        return result

    with connection.execute_wrapper(prepare):
        yield
