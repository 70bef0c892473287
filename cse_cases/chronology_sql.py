"""The timeline's statement, compiled once per reader and reused for every record.

The timeline is a UNION ALL of every registered source, each scoped by the
access policy. Building and compiling it is most of a record page's time: a
dozen querysets, each re-adding the reader's visibility conditions (Exists
subqueries copied and resolved again and again), compiled into ~20 kB of SQL.
Yet for one reader the statement is the same on every record: only the young
person's id and the moment of the request change.

So the first time a reader asks (per process), the statement is built twice:
for the young person asked about, and for a stand-in young person that has
nothing but a made-up id. The two compiled statements must be the same SQL,
with parameters that differ only where one has the young person's id and the
other the stand-in's, or where both hold the moment each was built (the
policy's "break-glass access not yet expired"). Those positions are then the
only ones filled in on later requests; everything else, the reader's own ids
and the access conditions, is reused as compiled.

A statement is not reused (it is built every time, as before) when anything
else differs between the two builds, when a parameter is a date or a time
that is not the moment of building, or when building it ran a query (its
SQL would then hold what that query answered, which can change).

The key is everything the policy reads about the reader (every field of their
account, their scope, their districts), the filter, the registered sources
and the time zone; a change to any of them gives a new key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.utils import timezone

from cse_cases.access.scope import scope_for
from cse_cases.models import User, YoungPerson
from cse_cases.prepared import as_prepared, prepared_on, types_of

# A young person id no record has (ids are positive), to find where the
# young person's id goes in the statement.
STAND_IN_ID = -7_320_000_000_000_001
# Statements kept per process (about 20 kB each): a reader and a filter each.
KEPT = 256

# What a position of the parameters holds on later requests.
YOUNG_PERSON = "young person"
NOW = "now"


@dataclass(frozen=True)
class Plan:
    """A compiled timeline statement and how to read its rows."""

    alias: str
    sql: str
    params: tuple[Any, ...]
    filled: tuple[tuple[int, str], ...]
    names: tuple[str, ...]
    converters: dict[int, tuple[list[Callable[..., Any]], Any]]

    # The statement's parameter types, when every one is known (prepared.types_of).
    types: tuple[str, ...] | None = None

    def params_for(self, young_person_id: int) -> list[Any]:
        params = list(self.params)
        now = timezone.now()
        for position, what in self.filled:
            params[position] = young_person_id if what == YOUNG_PERSON else now
        return params

    def rows(self, young_person_id: int) -> Iterator[dict[str, Any]]:
        connection = connections[self.alias]
        params = self.params_for(young_person_id)
        with connection.cursor() as cursor:
            # As a prepared statement (cse_cases/prepared.py): PostgreSQL plans
            # this UNION in ~25 ms and runs it in ~2.
            prepared = prepared_on(connection)
            sql, preparing = as_prepared(self.sql, params, prepared, self.types)
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
            if preparing:
                prepared.add(preparing)
        for row in fetched:
            values = list(row)
            # As Django's SQLCompiler.apply_converters does for a values() query.
            for position, (functions, expression) in self.converters.items():
                value = values[position]
                for function in functions:
                    value = function(value, expression, connection)
                values[position] = value
            yield dict(zip(self.names, values, strict=True))


# None: this key was found not to be reusable.
_plans: dict[tuple[Any, ...], Plan | None] = {}
# Keys whose first build ran a query.
_ran_queries: set[tuple[Any, ...]] = set()
_lock = threading.Lock()
_UNKNOWN: Any = object()


def _reader_key(user: User) -> tuple[Any, ...]:
    scope = scope_for(user)
    account = tuple(
        (field.attname, getattr(user, field.attname))
        for field in user._meta.concrete_fields
        if field.attname not in ("password", "last_login")
    )
    return (
        account,
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


def rows(
    user: User,
    young_person: YoungPerson,
    build: Callable[[YoungPerson], QuerySet],
    key: tuple[Any, ...],
) -> Iterable[dict[str, Any]]:
    """The timeline's rows for the young person: `build` makes its queryset
    (for any young person), `key` says what else it depends on (the filter
    and the sources)."""
    full_key = (_reader_key(user), key, timezone.get_current_timezone_name())
    plan = _plans.get(full_key, _UNKNOWN)
    if plan is _UNKNOWN:
        plan, verdict = _plan(young_person, build, since=scope_for(user).resolved_at)
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
        return build(young_person)
    return plan.rows(young_person.pk)


def forget() -> None:
    """Drop every kept statement (tests; a source registered late)."""
    with _lock:
        _plans.clear()
        _ran_queries.clear()


REUSABLE, NOT_REUSABLE, RAN_QUERIES = "reusable", "not reusable", "ran queries"


def _plan(
    young_person: YoungPerson, build: Callable[[YoungPerson], QuerySet], *, since: datetime
) -> tuple[Plan | None, str]:
    """The statement for `build`, if it can be reused; `since` is when the
    reader's scope was resolved (its conditions hold that moment as "now")."""
    ran: list[str] = []

    def note(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        ran.append(sql)
        return execute(sql, *args)

    stand_in = YoungPerson(pk=STAND_IN_ID)
    began = min(since, timezone.now())
    with connections[DEFAULT_DB_ALIAS].execute_wrapper(note):
        queryset = build(young_person)
        real = _compiled(queryset)
        other = _compiled(build(stand_in))
    ended = timezone.now()
    if ran:
        return None, RAN_QUERIES
    if queryset.db != DEFAULT_DB_ALIAS or real[0] != other[0] or len(real[1]) != len(other[1]):
        return None, NOT_REUSABLE
    filled: list[tuple[int, str]] = []
    for position, (mine, theirs) in enumerate(zip(real[1], other[1], strict=True)):
        if isinstance(mine, datetime) and isinstance(theirs, datetime):
            if not (began <= mine <= ended and began <= theirs <= ended):
                return None, NOT_REUSABLE
            filled.append((position, NOW))
        elif isinstance(mine, date) or isinstance(theirs, date):
            return None, NOT_REUSABLE
        elif theirs == STAND_IN_ID and type(mine) is int and mine == young_person.pk:
            filled.append((position, YOUNG_PERSON))
        elif mine != theirs or type(mine) is not type(theirs):
            return None, NOT_REUSABLE
    sql, params, names, converters = real
    plan = Plan(DEFAULT_DB_ALIAS, sql, params, tuple(filled), names, converters, types_of(params))
    return plan, REUSABLE


def _compiled(
    queryset: QuerySet,
) -> tuple[str, tuple[Any, ...], tuple[str, ...], dict[int, tuple[list[Any], Any]]]:
    """The statement a values() queryset runs, the names of its columns and the
    converters Django applies to them (as ValuesIterable reads them)."""
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    sql, params = compiler.as_sql()
    if query.selected:
        names = tuple(query.selected)
    else:
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    return sql, tuple(params), names, compiler.get_converters(fields)
