"""Finding young people: search by name, alias or identifier, strong matches
(for break-glass and intake), and the possible duplicates a CSE lead checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.postgres.search import TrigramDistance, TrigramSimilarity
from django.db.models import (
    FloatField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Concat, Greatest, Lower

from cse_cases import access
from cse_cases.identifiers import normalise_nhs_number
from cse_cases.models import (
    Alias,
    User,
    YoungPerson,
)
from cse_cases.nojit import without_jit

# One screen of results, nearest first: more means the search needs narrowing
# (date of birth, area), not scrolling.
SEARCH_LIMIT = 20


def _ids_like(word: str) -> QuerySet:
    """Ids of young people with a name or alias like `word`.

    A UNION of two index scans (the trigram GIN indexes on the names and on
    aliases): an OR across the two tables would make PostgreSQL read every row.
    """
    by_name = (
        _with_lower_names(YoungPerson.objects.all())
        .filter(
            Q(lfirst__trigram_similar=word)
            | Q(llast__trigram_similar=word)
            | Q(lknown__trigram_similar=word)
        )
        # No ORDER BY (the model's): a set of ids needs none, and sorting
        # thousands of lookalike names cost a one-word search 0.17 s.
        .order_by()
        .values("pk")
    )
    by_alias = (
        Alias.objects.annotate(lname=Lower("name"))
        .filter(lname__trigram_similar=word)
        .order_by()
        .values("young_person_id")
    )
    return by_name.union(by_alias)


# The expression the whole-name trigram index is built on (models.YoungPerson).
FULL_NAME = Lower(Concat("legal_first_name", Value(" "), "legal_last_name"))


def _ids_like_full_name(text: str) -> QuerySet:
    """Ids whose whole name, or an alias, is like `text`: one selective index scan each."""
    by_name = (
        YoungPerson.objects.annotate(lfull=FULL_NAME)
        .filter(lfull__trigram_similar=text)
        .order_by()
        .values("pk")
    )
    by_alias = (
        Alias.objects.annotate(lname=Lower("name"))
        .filter(lname__trigram_similar=text)
        .order_by()
        .values("young_person_id")
    )
    return by_name.union(by_alias)


def _name_matches(text: str) -> tuple[Q, list]:
    """Like some name or alias (pg_trgm, indexed): the whole name for several words,
    any of first name, last name, known-as or alias for one."""
    words = text.lower().split()[:4]
    condition = Q()
    scores = []
    if len(words) > 1:
        condition = Q(pk__in=_ids_like_full_name(" ".join(words)))
    for word in words:
        if len(words) == 1:
            condition &= Q(pk__in=_ids_like(word))
        scores.append(
            Greatest(
                TrigramSimilarity("lfirst", word),
                TrigramSimilarity("llast", word),
                TrigramSimilarity("lknown", word),
            )
        )
    return condition, scores


def _with_lower_names(queryset: QuerySet[YoungPerson]) -> QuerySet[YoungPerson]:
    return queryset.annotate(
        lfirst=Lower("legal_first_name"), llast=Lower("legal_last_name"), lknown=Lower("known_as")
    )


def _identifier_match(identifier: str) -> Q:
    value = identifier.strip()
    nhs = normalise_nhs_number(value)
    condition = Q(police_reference__iexact=value) | Q(school_upn__iexact=value)
    if nhs.isdigit() and len(nhs) == 10:
        condition |= Q(nhs_number=nhs)
    return condition


@without_jit()
def search_young_people(
    user: User,
    *,
    text: str = "",
    date_of_birth: date | None = None,
    identifier: str = "",
    area_id: int | None = None,
    limit: int = SEARCH_LIMIT,
) -> list[YoungPerson]:
    """Search within what the user may see; best name matches first. Read
    with JIT off (cse_cases/nojit.py): a common surname matches thousands of
    names, which puts the statement over PostgreSQL's JIT threshold."""
    queryset = _with_lower_names(
        access.young_people_visible_to(user).filter(merged_into__isnull=True)
    ).select_related("area")
    if date_of_birth:
        queryset = queryset.filter(date_of_birth=date_of_birth)
    if identifier.strip():
        queryset = queryset.filter(_identifier_match(identifier))
    if area_id:
        queryset = queryset.filter(area_id=area_id)
    words = text.lower().split()[:4]
    if len(words) > 1:
        return _search_whole_name(queryset, " ".join(words), limit)
    score = None
    if words:
        condition, scores = _name_matches(text)
        queryset = queryset.filter(condition)
        score = sum(scores[1:], scores[0])
    if score is not None:
        queryset = queryset.annotate(score=Coalesce(score, 0.0, output_field=FloatField()))
        queryset = queryset.order_by("-score", "legal_last_name", "pk")
    else:
        queryset = queryset.order_by("legal_last_name", "legal_first_name", "pk")
    return list(queryset[:limit])


def _search_whole_name(queryset: QuerySet, text: str, limit: int) -> list[YoungPerson]:
    """Nearest whole names first, straight from the GiST trigram index (KNN), so
    the cost depends on the page size, not on how many names look alike; then
    the records with an alias like the text, also nearest first from a GiST
    index on aliases. Two queries, each reading about a page of its index."""
    by_name = list(
        queryset.annotate(lfull=FULL_NAME)
        .filter(lfull__trigram_similar=text)
        .order_by(TrigramDistance("lfull", text))[:limit]
    )
    if len(by_name) == limit:
        return by_name
    seen = {person.pk for person in by_name}
    by_alias = (
        Alias.objects.annotate(lname=Lower("name"))
        .filter(lname__trigram_similar=text, young_person__in=queryset.values("pk"))
        .exclude(young_person_id__in=seen)
        .select_related("young_person__area")
        .order_by(TrigramDistance("lname", text))[: limit - len(by_name)]
    )
    return by_name + list(dict.fromkeys(alias.young_person for alias in by_alias))


def strong_matches(
    *, text: str = "", date_of_birth: date | None = None, identifier: str = ""
) -> QuerySet[YoungPerson] | None:
    """Every record, seen or not, that a search identifies closely enough to
    ask for emergency access: an identifier, or a name with a date of birth.
    None when the search is too loose (a name alone, an area). The caller
    passes it to access.break_glass_candidates and shows no record from it."""
    condition = Q()
    strong = False
    if identifier.strip():
        condition &= _identifier_match(identifier)
        strong = True
    if text.split() and date_of_birth:
        name_condition, _ = _name_matches(text)
        condition &= name_condition & Q(date_of_birth=date_of_birth)
        strong = True
    if not strong:
        return None
    return _with_lower_names(YoungPerson.objects.all()).filter(condition)


@dataclass(frozen=True)
class DuplicateCheck:
    visible: list[YoungPerson]
    # A likely match exists that this person may not see: they are told only
    # that, and a CSE lead of the area checks it.
    hidden_match: bool
    # For the service that raises the CSE lead's check; never shown to the user.
    hidden_ids: tuple[int, ...] = ()


@without_jit()
def duplicate_candidates(
    user: User,
    *,
    first_name: str,
    last_name: str,
    date_of_birth: date | None,
    identifiers: list[str] | None = None,
    aliases: list[str] | None = None,
) -> DuplicateCheck:
    """Likely existing records for the person about to be created (read with
    JIT off: the matching runs over every record).

    Matching runs over every record (a duplicate the user cannot see still
    matters); only the ids leave this function unfiltered, never the records.
    """
    everyone = _with_lower_names(YoungPerson.objects.filter(merged_into__isnull=True))
    condition = Q(pk__in=[])
    for identifier in identifiers or []:
        if identifier.strip():
            condition |= _identifier_match(identifier)
    names = " ".join([first_name, last_name, *(aliases or [])]).strip()
    if names and date_of_birth:
        # Same date of birth (give or take an estimate) and a similar name.
        name_condition, _ = _name_matches(f"{first_name} {last_name}")
        alias_condition = Q(pk__in=[])
        for alias in aliases or []:
            if alias.strip():
                words, _ = _name_matches(alias)
                alias_condition |= words
        same_birthday = Q(date_of_birth=date_of_birth) | Q(date_of_birth_estimated=True)
        condition |= same_birthday & (name_condition | alias_condition)
    elif names:
        name_condition, _ = _name_matches(f"{first_name} {last_name}")
        condition |= name_condition & Q(llast__trigram_similar=last_name.lower())
    matches = list(everyone.filter(condition).values_list("pk", flat=True)[:20])
    visible = list(
        access.young_people_visible_to(user).filter(pk__in=matches).select_related("area")
    )
    seen = {person.pk for person in visible}
    hidden = tuple(pk for pk in matches if pk not in seen)
    return DuplicateCheck(visible=visible, hidden_match=bool(hidden), hidden_ids=hidden)


def possible_duplicates_for(user: User) -> list:
    """Open duplicate checks in a CSE lead's districts."""
    items = list(
        access.possible_duplicates_to_check(user)
        .select_related("young_person__area", "match__area", "raised_by__agency")
        .order_by("raised_at")[:100]
    )
    # A CSE lead is shown a side's name only if they may see that record; the
    # merge is decided by a lead who may see both.
    ids = {i.young_person_id for i in items} | {i.match_id for i in items}
    visible = set(
        access.young_people_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
    )
    for item in items:
        item.new_visible = item.young_person_id in visible
        item.match_visible = item.match_id in visible
        item.decidable = item.new_visible and item.match_visible
    return items
