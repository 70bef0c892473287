"""Demo risk assessments at every stage: decided (signed off, at each level,
some with an earlier assessment to draw a trajectory, two past their review
date), waiting for sign-off, returned with comments, in progress, just
started, and none yet for the newest cases.

The assessments in progress go through the assessment services as the lead
professional, the agencies in the team and the supervisor or CSE lead who
returns one; the dates each step happened are then set back (the services
stamp now). The decided ones, the bulk of them, are written in bulk with the
audit rows the services would write.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from django.utils import timezone

from assessments.demo import words
from assessments.models import (
    AgencySection,
    Answer,
    Assessment,
    AssessmentStatus,
    AssessmentTransition,
    DomainKind,
    IndicatorAnswer,
    TemplateIndicator,
)
from assessments.risk import services
from assessments.risk.selectors import current_template
from cse_cases.models import AuditAction, Case, RiskLevelChange, User
from cse_cases.wiring.demo.caseload import Caseload, Child
from cse_cases.wiring.demo.words import YOUNG_PERSONS_WORDS

# Each open case's stage (an area has 30 cases before this month's referrals).
STAGES = (
    ["signed_off"] * 14
    + ["submitted"] * 4
    + ["returned"]
    + ["in_progress"] * 3
    + ["draft"] * 2
    + ["none"] * 6
)
# The practitioner persona's cases include work waiting for them and for
# their supervisor.
PERSONA_STAGES = ("submitted", "in_progress", "returned")
# What the team knows, as the start of each indicator's text.
INDICATORS = {
    "missing": [
        "Missing from home or care",
        "Found a long way from home",
        "Three or more missing episodes",
    ],
    "older_adult": [
        "An adult or much older person is presented as a partner",
        "Money, gifts, clothes or phones",
        "Picked up in cars or taxis",
    ],
    "online": ["Contacted online by unknown adults", "More than one phone"],
    "county_lines": [
        "Linked to gangs or county lines",
        "Owes, or is told they owe",
        "Made to carry drugs",
    ],
    "peer": ["Linked to other young people who are being exploited", "Cut off from usual"],
    "substances": ["Given drugs or alcohol by adults", "Found intoxicated"],
    "school": ["Not attending school", "A sudden change in attendance"],
}
EVIDENCE = [
    "From {name}'s own account and the team's case notes.",
    "Police missing reports and the return home interviews.",
    "Seen by school staff and reported the same day.",
]


def _answers(indicators: list[TemplateIndicator], child: Child, rng, *, domains: int = 99):
    """Answers for the first `domains` domains: what the child's story shows."""
    depth = {"low": 1, "medium": 2, "high": 3}[child.level]
    present = [p for theme in child.themes for p in INDICATORS[theme][:depth]]
    strengths = {"low": 6, "medium": 4, "high": 2}[child.level]
    seen_domains: list[int] = []
    answers = {}
    for indicator in indicators:
        if indicator.domain_id not in seen_domains:
            seen_domains.append(indicator.domain_id)
        if len(seen_domains) > domains:
            break
        if indicator.domain.kind == DomainKind.STRENGTHS:
            answer = Answer.PRESENT if indicator.position <= strengths else Answer.NOT_PRESENT
            answers[indicator.pk] = {"answer": answer}
            continue
        if any(indicator.text.startswith(p) for p in present):
            answers[indicator.pk] = {
                "answer": Answer.PRESENT,
                "when": rng.choice(["In the last month", "Over the last three months"]),
                "evidence": child.fill(rng.choice(EVIDENCE)),
            }
        else:
            answers[indicator.pk] = {
                "answer": Answer.NOT_KNOWN if rng.random() < 0.06 else Answer.NOT_PRESENT
            }
    return answers


def _write(caseload: Caseload, child: Child, indicators, *, level: str, domains: int = 99):
    """Start the assessment and write the lead professional's part and the
    agencies' sections, as far as `domains` (all of them by default)."""
    rng = caseload.rng
    assessment = services.assessment_start(by=child.lead, case=child.case)
    complete = domains >= 99
    storied = dataclasses.replace(child, level=level)
    values = {
        "young_persons_views": f"\u201c{rng.choice(YOUNG_PERSONS_WORDS)}\u201d",
        "parents_views": child.fill(rng.choice(words.PARENTS_VIEWS)),
    }
    if complete:
        values |= {"judged_level": level, "rationale": words.RATIONALES[level]}
    assessment = services.assessment_save(
        by=child.lead,
        assessment=assessment,
        version=assessment.version,
        values=values,
        answers=_answers(indicators, storied, rng, domains=domains),
    )
    for part, member in list(child.members.items())[:1]:
        services.section_save(
            by=member,
            assessment=assessment,
            version=0,
            contribution=child.fill(words.SECTIONS[part]),
        )
    return assessment


def _signer(caseload: Caseload, child: Child) -> User:
    """The lead's supervisor, for the exploitation team; else the CSE lead."""
    supervisor = caseload.staff.supervisor
    if child.lead.team_id and child.lead.team_id == supervisor.team_id:
        return supervisor
    return caseload.staff.cse_lead


def _dated(assessment: Assessment, *, started: datetime, submitted: datetime | None) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(
        started_at=started, submitted_at=submitted, updated_at=submitted or started
    )
    AssessmentTransition.objects.filter(assessment=assessment, to_status="submitted").update(
        at=submitted or started
    )
    assessment.sections.update(updated_at=submitted or started)


def _decided(caseload: Caseload, decided: list[tuple[Child, str, int]], template, indicators):
    """Signed-off assessments, in bulk with their audit rows (see
    cse_cases/wiring/demo/bulk.py): (child, level, signed off this many days ago),
    oldest first for a case with two. Each one's level is the case's risk
    level from its sign-off on."""
    rng, audit = caseload.rng, caseload.audit
    bands = list(template.bands.all())
    weights = {i.pk: i.weight for i in indicators if i.domain.kind == DomainKind.RISK}
    written = []
    for child, level, days_ago in decided:
        answers = _answers(indicators, dataclasses.replace(child, level=level), rng)
        score = sum(
            weights.get(pk, 0) for pk, a in answers.items() if a["answer"] == Answer.PRESENT
        )
        band = services.suggested_level(template, score, bands)
        signed = caseload.office(days_ago)
        submitted = signed - timedelta(days=rng.randint(1, 3))
        signer = _signer(caseload, child)
        assessment = Assessment(
            case=child.case,
            template=template,
            status=AssessmentStatus.SIGNED_OFF,
            author=child.lead,
            started_at=submitted - timedelta(days=rng.randint(10, 20)),
            young_persons_views=f"\u201c{rng.choice(YOUNG_PERSONS_WORDS)}\u201d",
            parents_views=child.fill(rng.choice(words.PARENTS_VIEWS)),
            score=score,
            suggested_level=band.level if band else "",
            judged_level=level,
            rationale=words.RATIONALES[level],
            submitted_by=child.lead,
            submitted_at=submitted,
            signed_off_by=signer,
            signed_off_at=signed,
            next_review_on=services.next_review(level, timezone.localdate(signed)),
            updated_by=child.lead,
            updated_at=submitted,
        )
        written.append((assessment, answers, child, signer))
    Assessment.objects.bulk_create([row[0] for row in written])
    IndicatorAnswer.objects.bulk_create(
        IndicatorAnswer(
            assessment=assessment,
            indicator_id=pk,
            answer=given["answer"],
            when=given.get("when", ""),
            evidence=given.get("evidence", ""),
        )
        for assessment, answers, _, _ in written
        for pk, given in answers.items()
    )
    sections, transitions, changes, cases = [], [], [], {}
    for assessment, _, child, signer in written:
        yp = child.young_person.pk
        lead = child.lead
        audit.add(
            user=lead,
            action=AuditAction.CREATE,
            obj=assessment,
            young_person_id=yp,
            detail=f"started on {template}",
        )
        for part, member in list(child.members.items())[:2]:
            sections.append(
                AgencySection(
                    assessment=assessment,
                    agency_id=member.agency_id,
                    contribution=child.fill(words.SECTIONS[part]),
                    updated_by=member,
                    updated_at=assessment.submitted_at,
                )
            )
        for by, before, after, at, comments in (
            (lead, "draft", "submitted", assessment.submitted_at, ""),
            (signer, "submitted", "signed_off", assessment.signed_off_at, "Agreed."),
        ):
            transitions.append(
                AssessmentTransition(
                    assessment=assessment,
                    from_status=before,
                    to_status=after,
                    by=by,
                    at=at,
                    comments=comments,
                )
            )
            audit.add(
                user=by,
                action=AuditAction.CHANGE,
                obj=assessment,
                young_person_id=yp,
                fields_changed={"status": [before, after]},
                reason=comments,
            )
        differs = ""
        if assessment.judgement_differs:
            differs = f" (the indicators suggested {assessment.suggested_level})"
        rationale = f"Assessment {assessment.pk} signed off{differs}. {assessment.rationale}"
        changes.append(
            RiskLevelChange(
                case=child.case,
                level=assessment.judged_level,
                rationale=rationale,
                decided_by=signer,
                decided_at=assessment.signed_off_at,
            )
        )
        audit.add(
            user=signer,
            action=AuditAction.CHANGE,
            obj=child.case,
            young_person_id=yp,
            fields_changed={"risk_level": [child.case.risk_level, assessment.judged_level]},
            reason=rationale,
        )
        child.case.risk_level = assessment.judged_level
        cases[child.case.pk] = child.case
    AgencySection.objects.bulk_create(sections)
    for section in sections:
        audit.add(
            user=section.updated_by,
            action=AuditAction.CREATE,
            obj=section,
            young_person_id=section.assessment.case.young_person_id,
            fields_changed={"contribution": ["", "edited"]},
        )
    AssessmentTransition.objects.bulk_create(transitions)
    RiskLevelChange.objects.bulk_create(changes)
    Case.objects.bulk_update(list(cases.values()), ["risk_level"])
    audit.write()


def _stages(caseload: Caseload, children: list[Child]) -> dict[int, str]:
    rng = caseload.rng
    stages = list(STAGES)[: len(children)]
    stages += ["none"] * (len(children) - len(stages))
    rng.shuffle(stages)
    chosen = {child.case.pk: stage for child, stage in zip(children, stages, strict=True)}
    persona = [c for c in children if c.lead == caseload.staff.practitioner]
    for wanted, child in zip(PERSONA_STAGES, persona, strict=False):
        if chosen[child.case.pk] == wanted:
            continue
        # Swap with another case at the wanted stage, so the counts stay.
        other = next(
            (
                c
                for c in children
                if chosen[c.case.pk] == wanted and c not in persona[: len(PERSONA_STAGES)]
            ),
            None,
        )
        if other is not None:
            chosen[other.case.pk], chosen[child.case.pk] = chosen[child.case.pk], wanted
    return chosen


def seed_assessments(caseload: Caseload) -> int:
    template = current_template()
    if template is None:
        return 0
    rng, today = caseload.rng, caseload.today
    indicators = list(
        TemplateIndicator.objects.filter(domain__template=template)
        .select_related("domain")
        .order_by("domain__position", "position")
    )
    established = [c for c in caseload.children if not c.new]
    stages = _stages(caseload, established)
    signed = [c for c in established if stages[c.case.pk] == "signed_off"]
    old_enough = [c for c in signed if (today - c.case.opened_on).days > 130]
    overdue = old_enough[:2]
    trajectories = [c for c in old_enough[2:] if (today - c.case.opened_on).days > 220][:3]
    decided: list[tuple[Child, str, int]] = []
    for child in signed:
        opened = (today - child.case.opened_on).days
        if child in trajectories:
            earlier = {"low": "medium", "medium": "high", "high": "medium"}[child.level]
            decided.append((child, earlier, rng.randint(150, 200)))
        if child in overdue:
            days = rng.randint(50, 60) if child.level == "high" else rng.randint(100, 115)
        else:
            days = rng.randint(5, 30) if child.level == "high" else rng.randint(7, 60)
        decided.append((child, child.level, min(days, opened - 3)))
    _decided(caseload, decided, template, indicators)
    made = len(decided)
    for child in established:
        stage = stages[child.case.pk]
        if stage == "signed_off":
            continue
        elif stage in ("submitted", "returned"):
            assessment = _write(caseload, child, indicators, level=child.level)
            assessment = services.assessment_submit(by=child.lead, assessment=assessment)
            submitted = caseload.office(rng.randint(1, 6))
            _dated(assessment, started=submitted - timedelta(days=12), submitted=submitted)
            if stage == "returned":
                services.assessment_return(
                    by=_signer(caseload, child),
                    assessment=assessment,
                    comments=child.fill(words.RETURN_COMMENTS),
                )
        elif stage == "in_progress":
            assessment = _write(
                caseload, child, indicators, level=child.level, domains=rng.randint(4, 9)
            )
            _dated(assessment, started=caseload.office(rng.randint(2, 8)), submitted=None)
        elif stage == "draft":
            assessment = services.assessment_start(by=child.lead, case=child.case)
            _dated(assessment, started=caseload.office(rng.randint(0, 2)), submitted=None)
        else:
            continue
        made += 1
    # The newest case's lead has just started its first assessment.
    newest = [c for c in caseload.children if c.new][:1]
    for child in newest:
        services.assessment_start(by=child.lead, case=child.case)
        made += 1
    return made
