"""Case discussions from supervision on the young person's chronology: the
decision and the actions agreed, for whoever sees the case; never the
session's private parts (they are not in this query at all)."""

from __future__ import annotations

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import F, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Cast, Concat

from cse_cases import access
from cse_cases.chronology import Entry, Filter, Row, Source, entry, person, project
from cse_cases.models import User, YoungPerson
from supervision.sessions.models import CaseDiscussion

KIND = "case_supervision"


def _actions_agreed() -> Subquery:
    through = CaseDiscussion.actions.through
    return Subquery(
        through.objects.filter(casediscussion=OuterRef("pk"))
        .order_by()
        .values("casediscussion")
        .annotate(
            text=StringAgg(
                Concat(
                    F("action__description"),
                    Value(" (due "),
                    Cast(F("action__due_on"), TextField()),
                    Value(")"),
                    output_field=TextField(),
                ),
                delimiter="; ",
                order_by="action_id",
            )
        )
        .values("text"),
        output_field=TextField(),
    )


def discussion_rows(user: User, young_person: YoungPerson, flt: Filter) -> QuerySet:
    discussions = access.case_discussions_visible_to(user).filter(case__young_person=young_person)
    if flt.agency_id:
        discussions = discussions.filter(recorded_by__agency_id=flt.agency_id)
    return project(
        discussions,
        at=F("recorded_at"),
        agency=F("recorded_by__agency__name"),
        author=person("recorded_by"),
        body=F("decision"),
        case=F("case_id"),
        actions=_actions_agreed(),
    )


def discussion_entry(row: Row) -> Entry:
    data = row["entry_data"]
    actions = data.get("actions") or ""
    body = row["entry_body"]
    if actions:
        # The chronology shows the body: the actions go with the decision.
        body = f"{body}\n\nActions agreed: {actions}"
    return entry(
        {**row, "entry_body": body},
        kind=KIND,
        kind_label="Case supervision",
        title="Case supervision: decision" + (" and actions agreed" if actions else ""),
        extra={"actions": actions},
    )


case_supervision_entries = Source(discussion_rows, discussion_entry)
