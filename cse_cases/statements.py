"""A record page's statements, compiled once per reader and reused for every record.

The access policy makes the record page's reads long: the record, its cases
with their teams and risk history, the timeline (a UNION ALL of a dozen
scoped parts), the missing episodes, the links. Building and compiling those
querysets (Exists subqueries copied and resolved again and again, ~20 kB of
SQL) is most of the page's time, far more than PostgreSQL takes to run them.
Yet for one reader a statement is the same on every record: only the young
person's id and the moment of the request change.

So the first time a reader asks for a statement (per process), it is built
twice: for the young person asked about (or the ids it is built from: the
young person's, a case's), and for stand-ins that have nothing but made-up
ids. The two compiled statements must be the same SQL, with parameters that
differ only where one has an id asked about and the other its stand-in, or
where both hold the moment each was built (the policy's "break-glass access
not yet expired"). Those positions are then the only ones filled in on later
requests; everything else, the reader's own ids
and the access conditions, is reused as compiled. Rows are read by Django's
own iterables (model instances, with select_related, annotations and
prefetches; or values() dicts), from the compiler of the first build.

A statement is not reused (it is built every time, as before) when anything
else differs between the two builds, when a parameter is a date or a time
that is not the moment of building, or when building it ran a query (its
SQL would then hold what that query answered, which can change).

The key is everything the policy reads about the reader (every field of their
account, their scope, their districts), the caller's own key (which statement,
and what else it depends on) and the time zone; a change to any of them gives
a new key.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from cse_cases.access.scope import scope_for
from cse_cases.models import User
from cse_cases.prepared import as_prepared, prepared_on, types_of

# Ids no record has (ids are positive), to find where the ids asked about
# go in the statement: the first id's stand-in, the second's one less, ...
STAND_IN_ID = -7_320_000_000_000_001
# Statements kept per process: about eight per reader (a record page's), so
# the readers of the last few minutes. One is a compiled queryset of a few
# tens of kB.
KEPT = 1024

# A position of the parameters that holds the moment of the request; the
# others filled in hold the id of that number (0: the first).
NOW = -1


class _Compiled(SQLCompiler):
    """A compiler that answers with a statement compiled earlier: the columns
    and how to read them (select, klass_info, ...) are the first build's."""

    statement: tuple[str, list[Any]]

    def as_sql(self, *args: Any, **kwargs: Any) -> tuple[str, list[Any]]:
        return self.statement


@dataclass(frozen=True)
class Plan:
    """A compiled statement, the queryset it came from, and where to fill in."""

    # Never shown: a queryset's repr would run it.
    queryset: QuerySet = field(repr=False)
    compiler: SQLCompiler = field(repr=False)
    sql: str
    params: tuple[Any, ...]
    filled: tuple[tuple[int, int], ...]
    # The statement's parameter types, when every one is known (prepared.types_of).
    types: tuple[str, ...] | None = None

    def params_for(self, ids: tuple[int, ...]) -> list[Any]:
        params = list(self.params)
        now = timezone.now()
        for position, what in self.filled:
            params[position] = now if what == NOW else ids[what]
        return params

    def run(self, ids: tuple[int, ...]) -> list[Any]:
        params = self.params_for(ids)
        connection = connections[self.queryset.db]
        # As a prepared statement (cse_cases/prepared.py): PostgreSQL plans
        # these in 1-25 ms and runs them in about 1.
        prepared = prepared_on(connection)
        sql, preparing = as_prepared(self.sql, params, prepared, self.types)
        queryset = self.queryset._chain()
        compiler = _Compiled.__new__(_Compiled)
        compiler.__dict__.update(copy.copy(self.compiler.__dict__))
        compiler.query, compiler.connection = queryset.query, connection
        compiler.statement = (sql, params)
        # The queryset's own iterable (models, values, prefetches) reads the
        # rows, from this compiler instead of a new one.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler  # type: ignore[method-assign]
        rows = list(queryset)
        if preparing:
            prepared.add(preparing)
        return rows


# None: this key was found not to be reusable.
_plans: dict[tuple[Any, ...], Plan | None] = {}
# Keys whose first build ran a query.
_ran_queries: set[tuple[Any, ...]] = set()
_lock = threading.Lock()
_UNKNOWN: Any = object()


def reader_key(user: User | None) -> tuple[Any, ...]:
    """Everything the access policy can read about the reader without a query:
    every field of their account, and of every object loaded with it (their
    agency, whose kind decides sight of police intelligence; their team...),
    and their scope. A builder that reads anything else runs a query, and is
    caught by that (_plan)."""
    if user is None:
        return ()
    if not isinstance(user, User):
        return ("anonymous",)
    scope = scope_for(user)
    return (
        _fields_of(user),
        scope.signed_in,
        scope.records,
        scope.role,
        scope.agency_id,
        scope.team_id,
        scope.in_request,
        # Inside a request the districts are in the statement as ids (outside
        # one, as a subquery of the reader's own).
        tuple(sorted(scope.area_ids)) if scope.in_request else None,
    )


def _fields_of(instance: Model, depth: int = 0) -> tuple[Any, ...]:
    """An object's fields, and those of the objects loaded with it, as a key."""
    fields = tuple(
        (field.attname, _frozen(getattr(instance, field.attname)))
        for field in instance._meta.concrete_fields
        if field.attname not in ("password", "last_login")
    )
    if depth >= 3:
        return fields
    related = tuple(
        (name, None if value is None else (type(value).__name__, _fields_of(value, depth + 1)))
        for name, value in sorted(instance._state.fields_cache.items())
        if value is None or isinstance(value, Model)
    )
    prefetched = getattr(instance, "_prefetched_objects_cache", {})
    lists = tuple(
        (name, tuple(_fields_of(value, depth + 1) for value in values))
        for name, values in sorted(prefetched.items())
    )
    return fields, related, lists


def _frozen(value: Any) -> Any:
    """A field's value as part of a key (JSON fields hold lists and dicts)."""
    if isinstance(value, (dict, list, set)):
        return json.dumps(value, sort_keys=True, default=str)
    return value


def reused(
    user: User | None,
    key: tuple[Any, ...],
    build: Callable[..., QuerySet],
    *ids: int,
) -> list[Any]:
    """list(build(*ids)), from a statement compiled once for this reader and
    key. `build` makes the queryset for any ids (a young person's, say);
    `key` names the statement and whatever else it depends on. `user` is the
    reader whose access the statement applies (None: it applies none)."""
    full_key = (reader_key(user), key, timezone.get_current_timezone_name())
    plan = _plans.get(full_key, _UNKNOWN)
    if plan is _UNKNOWN:
        since = scope_for(user).resolved_at if user is not None else timezone.now()
        plan, verdict = _plan(ids, build, since=since)
        if verdict != RAN_QUERIES or full_key in _ran_queries:
            with _lock:
                while len(_plans) >= KEPT:
                    _plans.pop(next(iter(_plans)))
                _plans[full_key] = plan
        else:
            # It ran a query: perhaps a cache filling (content types) that
            # will not run again. Try once more before giving up on it.
            with _lock:
                _ran_queries.add(full_key)
                if len(_ran_queries) > KEPT:
                    _ran_queries.clear()
    if plan is None:
        return list(build(*ids))
    return plan.run(ids)


def forget() -> None:
    """Drop every kept statement (tests; a source registered late)."""
    with _lock:
        _plans.clear()
        _ran_queries.clear()


def kept() -> list[Plan]:
    """The statements kept now (tests)."""
    return [plan for plan in _plans.values() if plan is not None]


REUSABLE, NOT_REUSABLE, RAN_QUERIES = "reusable", "not reusable", "ran queries"


def _plan(
    ids: tuple[int, ...], build: Callable[..., QuerySet], *, since: datetime
) -> tuple[Plan | None, str]:
    """The statement for `build`, if it can be reused; `since` is when the
    reader's scope was resolved (its conditions hold that moment as "now")."""
    ran: list[str] = []

    def note(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        ran.append(sql)
        return execute(sql, *args)

    stand_ins = tuple(STAND_IN_ID - n for n in range(len(ids)))
    began = min(since, timezone.now())
    try:
        with connections[DEFAULT_DB_ALIAS].execute_wrapper(note):
            queryset = build(*ids)
            compiler = queryset.query.get_compiler(queryset.db)
            sql, real = compiler.as_sql()
            other_sql, other = _compiled(build(*stand_ins))
    except EmptyResultSet:
        # Nothing to run (a reader with no sight of records): nothing to keep.
        return None, NOT_REUSABLE
    ended = timezone.now()
    if ran:
        return None, RAN_QUERIES
    if queryset.db != DEFAULT_DB_ALIAS or sql != other_sql or len(real) != len(other):
        return None, NOT_REUSABLE
    filled: list[tuple[int, int]] = []
    for position, (mine, theirs) in enumerate(zip(real, other, strict=True)):
        if isinstance(mine, datetime) and isinstance(theirs, datetime):
            if not (began <= mine <= ended and began <= theirs <= ended):
                return None, NOT_REUSABLE
            filled.append((position, NOW))
        elif isinstance(mine, date) or isinstance(theirs, date):
            return None, NOT_REUSABLE
        elif theirs in stand_ins and type(mine) is int and mine == ids[stand_ins.index(theirs)]:
            filled.append((position, stand_ins.index(theirs)))
        elif type(mine) is not type(theirs) or _value(mine) != _value(theirs):
            return None, NOT_REUSABLE
    params = tuple(real)
    plan = Plan(queryset, compiler, sql, params, tuple(filled), types_of(params))
    return plan, REUSABLE


def _value(param: Any) -> Any:
    """What a parameter holds: the driver's JSON wrapper (psycopg's Json,
    Jsonb) compares by identity, so it is compared by what it wraps."""
    return getattr(param, "adapted", getattr(param, "obj", param))


def _compiled(queryset: QuerySet) -> tuple[str, tuple[Any, ...]]:
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    return sql, tuple(params)
