"""What a record merge moves: one handler per relation to a young person or a case.

When a CSE lead folds a duplicate record into the one kept, everything that
points at the duplicate (or at its cases) must follow it, or work is lost:
an action nobody sees, a flag that escalates to the wrong district. The core
cannot name every feature's models, so each app registers, from its
AppConfig.ready, a handler for each of its relations (``register``), or says
why a relation needs none (``stays``). ``tests/cse_cases/test_merge.py`` walks
every relation to YoungPerson and Case and fails on one nobody decided.

A handler runs inside the merge's transaction, moves its rows with set-based
updates, resolves the conflicts its model's constraints impose without
deleting anything, and returns how many rows it moved; the merge writes one
audit row per kind that moved something.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import F
from django.utils import timezone

from cse_cases.models import User, YoungPerson


@dataclass(frozen=True)
class Merge:
    by: User
    keep: YoungPerson
    duplicate: YoungPerson
    reason: str
    # What a handler could not move, in words for the CSE lead who merged
    # (shown after the merge and written into its audit row).
    left: list[str] = field(default_factory=list)


Handler = Callable[[Merge], int]

# Handlers run in this order: lower first. Checks that can refuse the merge
# (overlapping missing episodes) run before anything moves; the drift
# engine's flags run last, once their subjects have moved.
CHECKS = 0
CASES = 10
RECORDS = 50
FLAGS = 90


@dataclass(frozen=True)
class Relation:
    model: type[models.Model]
    field: str  # the name of the model's field pointing at YoungPerson or Case
    label: str  # plural, for the audit row: "actions", "meeting subjects"
    handler: Handler | None  # None: nothing to move, for the reason below
    why: str = ""
    order: int = RECORDS

    @property
    def key(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


_relations: dict[str, Relation] = {}


def register(
    model: type[models.Model], field: str, label: str, handler: Handler, *, order: int = RECORDS
) -> None:
    """`handler` moves `model`'s rows whose `field` points at the duplicate."""
    relation = Relation(model, field, label, handler, order=order)
    _relations[relation.key] = relation


def stays(model: type[models.Model], field: str, why: str) -> None:
    """A relation the merge deliberately leaves alone; `why` says why (for
    example: it points at a case, and cases move whole with their history)."""
    if not why.strip():
        raise ValueError("Say why the relation stays where it is")
    relation = Relation(model, field, "", None, why=why)
    _relations[relation.key] = relation


def decided(model: type[models.Model], field: str) -> Relation | None:
    return _relations.get(f"{model._meta.label}.{field}")


def relations() -> list[Relation]:
    return sorted(_relations.values(), key=lambda r: r.order)


def handlers() -> list[Relation]:
    return [r for r in relations() if r.handler is not None]


# --- The core's own relations -------------------------------------------------------


def _move(queryset: models.QuerySet, **to: object) -> int:
    return queryset.update(**to)


def _cases(m: Merge) -> int:
    """Cases move whole, with their notes, team, risk history, assessments and
    plan: nothing about a case depends on which record it was opened on.
    One open case per young person (a constraint): when both records have
    one, the duplicate's closes, saying why, and its current team joins the
    case kept, so nobody working with the child loses sight of them."""
    from cse_cases.models import (
        Case,
        CaseMember,
        CaseStatus,
        ClosureCategory,
        LeadProfessionalSpell,
    )

    kept_open = m.keep.cases.filter(status=CaseStatus.OPEN).first()
    if kept_open is not None:
        today = timezone.localdate()
        for case in m.duplicate.cases.filter(status=CaseStatus.OPEN):
            Case.objects.filter(pk=case.pk).update(
                status=CaseStatus.CLOSED,
                closed_on=max(today, case.opened_on),
                closure_reason=f"Duplicate record: merged into record {m.keep.pk}",
                closure_category=ClosureCategory.DUPLICATE,
                version=F("version") + 1,
            )
            LeadProfessionalSpell.objects.filter(case=case, ended_at__isnull=True).update(
                ended_at=timezone.now()
            )
            already = set(
                CaseMember.objects.filter(case=kept_open, removed_at__isnull=True).values_list(
                    "user_id", flat=True
                )
            ) | {kept_open.lead_professional_id}
            joining = [(case.lead_professional_id, "Lead professional before the merge")] + [
                (member.user_id, member.role)
                for member in case.members.filter(removed_at__isnull=True)
            ]
            for user_id, role in joining:
                if user_id not in already:
                    CaseMember.objects.create(
                        case=kept_open, user_id=user_id, role=role, added_by=m.by
                    )
                    already.add(user_id)
    moved = m.duplicate.cases.update(young_person=m.keep)
    # An open case's district is its young person's (see Case.area).
    m.keep.cases.filter(status=CaseStatus.OPEN).update(area=m.keep.area_id)
    return moved


def _follows_the_child(model: type[models.Model], field: str, other: str) -> Handler:
    """Rows whose `field` points at the duplicate move to the record kept,
    except rows between the two records being merged (their `other` end is
    the record kept): those are the record of what was decided about the
    pair, and stay as they were recorded. One handler for each end of a
    model with two ends pointing at young people (links, possible duplicates)."""

    def handler(m: Merge) -> int:
        return _move(
            model.objects.filter(**{field: m.duplicate}).exclude(**{other: m.keep}),
            **{field: m.keep},
        )

    return handler


def _missing_episodes(m: Merge) -> int:
    # Refuses the merge (before anything moves) when episodes overlap; the
    # same police episode recorded on both records stays on the merged one.
    from cse_cases.models import MissingEpisode
    from cse_cases.services.missing import missing_move_to_kept_record

    before = MissingEpisode.objects.filter(young_person=m.duplicate).count()
    left = missing_move_to_kept_record(by=m.by, keep=m.keep, duplicate=m.duplicate)
    return before - left


def _missing_reviews(m: Merge) -> int:
    # The duplicate's open review was closed with its episodes' move, and the
    # kept record's count of episodes asks again if it should: the history of
    # reviews moves (one open review per young person, so an open one moves
    # only when the kept record has none).
    from cse_cases.models import MissingReviewRequest

    requests = MissingReviewRequest.objects.filter(young_person=m.duplicate)
    if MissingReviewRequest.objects.filter(young_person=m.keep, status="open").exists():
        requests = requests.exclude(status="open")
    return _move(requests, young_person=m.keep)


def _notes(m: Merge) -> int:
    from cse_cases.models import CaseNote

    return _move(CaseNote.objects.filter(young_person=m.duplicate), young_person=m.keep)


def _aliases(m: Merge) -> int:
    # One alias per name (any case) per record: a name the kept record already
    # has stays on the duplicate, where it is the same name.
    from cse_cases.models import Alias

    existing = {name.lower() for name in m.keep.aliases.values_list("name", flat=True)}
    moving = [a.pk for a in m.duplicate.aliases.all() if a.name.lower() not in existing]
    return _move(Alias.objects.filter(pk__in=moving), young_person=m.keep)


def _person_of_concern(m: Merge) -> int:
    # One person-of-concern record per young person (one-to-one): when the
    # kept record already has one, the duplicate's stays linked to the merged
    # record, and a CSE lead decides which intelligence record to keep.
    from cse_cases.models import PersonOfConcern

    if PersonOfConcern.objects.filter(young_person=m.keep).exists():
        return 0
    return _move(PersonOfConcern.objects.filter(young_person=m.duplicate), young_person=m.keep)


def _note_drafts(m: Merge) -> int:
    # A case note someone was typing on the duplicate (autosaved, keyed by the
    # record's id) is offered on the record kept. When its author has a note
    # draft there too, the two texts join in one draft, so neither is lost.
    from cse_cases.models import Draft

    moved = 0
    for draft in Draft.objects.filter(form_key=f"note-new:{m.duplicate.pk}"):
        there = Draft.objects.filter(user=draft.user_id, form_key=f"note-new:{m.keep.pk}").first()
        if there is None:
            moved += Draft.objects.filter(pk=draft.pk).update(form_key=f"note-new:{m.keep.pk}")
            continue
        joined = {}
        for key in ("text", "young_persons_words"):
            texts = [str(d.data.get(key, "")).strip() for d in (there, draft)]
            joined[key] = "\n\n".join(t for t in texts if t)
        there.data = {**draft.data, **there.data, **joined}
        there.updated_at = timezone.now()
        there.save(update_fields=["data", "updated_at"])
        draft.delete()
        moved += 1
    return moved


def _merged_earlier(m: Merge) -> int:
    # Records merged into the duplicate before now point at the record kept,
    # so a chain of merges always ends at one live record.
    return _move(YoungPerson.objects.filter(merged_into=m.duplicate), merged_into=m.keep)


def register_core_merge_handlers() -> None:
    """The core's own relations; called from CseCasesConfig.ready, as each app
    registers its own from its ready."""
    from cse_cases.models import (
        Alias,
        AuditEvent,
        BreakGlassGrant,
        Case,
        CaseMember,
        CaseNote,
        ContextLink,
        Draft,
        LeadProfessionalSpell,
        MissingEpisode,
        MissingReviewRequest,
        PersonOfConcern,
        PossibleDuplicate,
        RiskLevelChange,
        SharingDecision,
    )

    register(MissingEpisode, "young_person", "missing episodes", _missing_episodes, order=CHECKS)
    register(MissingReviewRequest, "young_person", "missing reviews", _missing_reviews)
    register(Case, "young_person", "cases", _cases, order=CASES)
    register(CaseNote, "young_person", "case notes", _notes)
    # A link between the two records being merged (the same child, linked to
    # themself) stays as it was recorded, between the two records.
    for end, other_end, label in (
        ("young_person", "other_young_person", "links"),
        ("other_young_person", "young_person", "links from other young people"),
    ):
        register(ContextLink, end, label, _follows_the_child(ContextLink, end, other_end))
    register(Alias, "young_person", "aliases", _aliases)
    # Checks between the two records themselves are the record of this very
    # decision, and stay; checks against a third record follow the child.
    for end, other_end, label in (
        ("young_person", "match", "possible duplicates"),
        ("match", "young_person", "possible duplicates (as the match)"),
    ):
        register(
            PossibleDuplicate, end, label, _follows_the_child(PossibleDuplicate, end, other_end)
        )
    register(PersonOfConcern, "young_person", "person of concern records", _person_of_concern)
    register(YoungPerson, "merged_into", "records merged earlier", _merged_earlier)
    # Not a foreign key: a draft names its record in its form key. Drafts of
    # edits to the duplicate's own details are not laid over the record kept
    # (they would put the duplicate's values into its form); they expire.
    register(Draft, "form_key", "unsaved case notes", _note_drafts)
    for model in (
        CaseMember,
        RiskLevelChange,
        LeadProfessionalSpell,
        SharingDecision,
        BreakGlassGrant,
        CaseNote,
    ):
        stays(model, "case", "points at a case, and cases move whole with their history")
    # Not a foreign key, but a reference all the same (the test checks these too).
    stays(
        AuditEvent,
        "young_person_id",
        "the audit trail is append-only (the database refuses UPDATE): each row keeps the "
        "record it was written about, and the merge's own rows name both records",
    )


__all__ = [
    "CASES",
    "CHECKS",
    "FLAGS",
    "RECORDS",
    "Merge",
    "Relation",
    "decided",
    "handlers",
    "register",
    "register_core_merge_handlers",
    "relations",
    "stays",
]
