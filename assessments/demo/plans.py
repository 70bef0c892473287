"""Demo See Me, Hear Me plans: for the children at medium and high risk whose
assessment is decided, and those discussed at last week's meeting. Some have
been reviewed (two versions), two are past their review date, and one of the
two young people nearing 18 has the transition to adult services written
while the other does not yet (the drift engine flags both kinds of drift).

Written in bulk with the audit rows plan_review would write (see
cse_cases/wiring/demo/bulk.py): each consistent worker is in the team around the
child, and every version has its disruption and investigation part, as
plan_review requires.
"""

from __future__ import annotations

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from assessments.demo import words
from assessments.models import Assessment, MeetingSubject, Plan, PlanVersion
from cse_cases.models import AuditAction
from cse_cases.wiring.demo.caseload import Caseload, Child


def _sections(child: Child, *, transition: bool, review: bool = False) -> dict[str, str]:
    sections = {name: child.fill(text) for name, text in words.PLAN.items()}
    if child.young_person.legal_status == "looked_after":
        sections["accommodation"] = child.fill(
            "{name} stays in the current placement; {carer} has the safety plan and the "
            "out-of-hours numbers."
        )
    if transition:
        sections["transition"] = child.fill(words.TRANSITION)
    if review:
        sections["young_person_support"] += child.fill(
            " Sessions move to the youth centre, as {name} asked."
        )
    return sections


def seed_plans(caseload: Caseload) -> int:
    rng, today = caseload.rng, caseload.today
    decided = set(
        Assessment.objects.filter(
            case__area=caseload.area, status="signed_off", judged_level__in=["medium", "high"]
        ).values_list("case_id", flat=True)
    )
    discussed = set(
        MeetingSubject.objects.filter(
            meeting__area=caseload.area, meeting__status="held"
        ).values_list("young_person_id", flat=True)
    )
    near_18 = today - relativedelta(years=17, months=6)
    older = [c for c in caseload.children if c.young_person.date_of_birth <= near_18]
    planned = [
        c
        for c in caseload.children
        if (c.case.pk in decided or c.young_person.pk in discussed) and c not in older[1:]
    ]
    if older and older[0] not in planned:
        planned.append(older[0])
    plans, versions = [], []
    for n, child in enumerate(planned):
        transition = child in older
        worker = child.members.get("charity") if rng.random() < 0.3 else None
        plan = Plan(case=child.case, created_at=caseload.office(rng.randint(20, 50)))
        plans.append(plan)
        reviewed = n % 4 == 1
        first = PlanVersion(
            plan=plan,
            number=1,
            consistent_worker=worker or child.lead,
            review_on=today + timedelta(days=rng.randint(14, 56)),
            is_current=not reviewed,
            created_by=child.lead,
            created_at=plan.created_at,
            **_sections(child, transition=transition),
        )
        versions.append((first, child))
        if reviewed:
            # Reviewed since: a second version, the first kept as history.
            versions.append(
                (
                    PlanVersion(
                        plan=plan,
                        number=2,
                        consistent_worker=worker or child.lead,
                        review_on=today + timedelta(days=rng.randint(21, 60)),
                        review_notes=child.fill(words.PLAN_REVIEW_NOTES),
                        created_by=child.lead,
                        created_at=caseload.office(rng.randint(3, 12)),
                        **_sections(child, transition=transition, review=True),
                    ),
                    child,
                )
            )
        if n in (2, 6):
            # Past its review date (plan_review refuses one in the past: it went by).
            current = versions[-1][0]
            current.review_on = today - timedelta(days=rng.randint(3, 12))
    Plan.objects.bulk_create(plans)
    for version, _ in versions:
        version.plan_id = version.plan.pk
    PlanVersion.objects.bulk_create([version for version, _ in versions])
    for version, child in versions:
        caseload.audit.add(
            user=child.lead,
            action=AuditAction.CREATE if version.number == 1 else AuditAction.CHANGE,
            obj=version,
            young_person_id=child.young_person.pk,
            detail=f"plan version {version.number}",
        )
    caseload.audit.write()
    return len(plans)
