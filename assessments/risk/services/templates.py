"""Writes to assessment templates: a CSE lead starts a new version (a copy),
edits it while it is a draft, and publishes it. A published version never
changes, because assessments hold on to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.models import (
    LEVELS,
    MAX_WEIGHT,
    AssessmentTemplate,
    DomainKind,
    ScoreBand,
    TemplateDomain,
    TemplateIndicator,
    TemplateStatus,
    Window,
)
from assessments.risk.services.assessments import Incomplete
from assessments.text import check_text
from cse_cases import access, audit
from cse_cases.models import AuditAction, User
from cse_cases.services import RecordError


@dataclass
class TemplateContent:
    """A template's editable content, as the editor page and the API send it."""

    description: str
    change_summary: str
    bands: list[dict]
    domains: list[dict]


def template_content(template: AssessmentTemplate) -> TemplateContent:
    domains = template.domains.prefetch_related("indicators")
    return TemplateContent(
        description=template.description,
        change_summary=template.change_summary,
        bands=[
            {"min_score": b.min_score, "level": b.level, "label": b.label}
            for b in template.bands.all()
        ],
        domains=[
            {
                "key": d.key,
                "title": d.title,
                "kind": d.kind,
                "guidance": d.guidance,
                "indicators": [
                    {"text": i.text, "weight": i.weight, "window": i.window}
                    for i in d.indicators.all()
                ],
            }
            for d in domains
        ],
    )


def _template_problems(content: TemplateContent) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    keys = [d.get("key", "") for d in content.domains]
    if len(set(keys)) != len(keys):
        problems.append(("domains", "Each domain needs its own key."))
    if not any(d.get("kind") == DomainKind.RISK and d.get("indicators") for d in content.domains):
        problems.append(("domains", "A template needs at least one risk indicator."))
    if sum(d.get("kind") == DomainKind.STRENGTHS for d in content.domains) != 1:
        problems.append(
            ("domains", "A template needs one strengths and protective factors section.")
        )
    for d in content.domains:
        if d.get("kind") not in DomainKind.values:
            problems.append(("domains", f"{d.get('title')}: the kind must be risk or strengths."))
        if not (d.get("title") or "").strip():
            problems.append(("domains", "Every domain needs a title."))
        for n, i in enumerate(d.get("indicators") or [], start=1):
            where = f"{d.get('title')}, indicator {n}"
            if not (i.get("text") or "").strip():
                problems.append(("domains", f"{where}: write the indicator."))
            elif len(i["text"]) > 500:
                problems.append(("domains", f"{where}: at most 500 characters."))
            weight = i.get("weight")
            if not isinstance(weight, int) or not 0 <= weight <= MAX_WEIGHT:
                problems.append(("domains", f"{where}: the weight is a whole number 0 to 5."))
            elif d.get("kind") == DomainKind.STRENGTHS and weight:
                problems.append(
                    ("domains", f"{where}: strengths carry no weight; they never lower the score.")
                )
            if i.get("window") not in Window.values:
                problems.append(("domains", f"{where}: the window is current or earlier."))
    # A band without a whole-number start is refused (sorting it with the
    # others would fail), and left out of the checks on starts below.
    if any(not isinstance(b.get("min_score"), int) for b in content.bands):
        problems.append(("bands", "Every score band starts at a whole number."))
    starts = sorted(s for b in content.bands if isinstance(s := b.get("min_score"), int))
    if content.bands and starts[0] != 0:
        problems.append(("bands", "The first score band starts at 0."))
    if len(set(starts)) != len(starts):
        problems.append(("bands", "Two score bands start at the same score."))
    for b in content.bands:
        if b.get("level") not in LEVELS:
            problems.append(
                ("bands", f"Band from {b.get('min_score')}: choose low, medium or high.")
            )
    return problems


def _refuse_if_published(template: AssessmentTemplate) -> None:
    if template.status == TemplateStatus.PUBLISHED:
        in_use = template.assessments.count()
        raise RecordError(
            f"Version {template.version} is published and in use by {in_use} "
            f"assessment{'s' if in_use != 1 else ''}, so it cannot change: start a new version, "
            "edit that, and publish it. Assessments keep the version they started on."
        )


def _write_content(template: AssessmentTemplate, content: TemplateContent) -> None:
    template.domains.all().delete()
    template.bands.all().delete()
    ScoreBand.objects.bulk_create(
        ScoreBand(template=template, min_score=b["min_score"], level=b["level"], label=b["label"])
        for b in content.bands
    )
    for position, d in enumerate(content.domains, start=1):
        domain = TemplateDomain.objects.create(
            template=template,
            position=position,
            key=d["key"],
            title=d["title"],
            kind=d["kind"],
            guidance=d.get("guidance", ""),
        )
        TemplateIndicator.objects.bulk_create(
            TemplateIndicator(
                domain=domain, position=n, text=i["text"], weight=i["weight"], window=i["window"]
            )
            for n, i in enumerate(d["indicators"], start=1)
        )


@transaction.atomic
def template_new_version(*, by: User, template: AssessmentTemplate) -> AssessmentTemplate:
    """A draft copy of this version, numbered after the latest, for a CSE lead to edit."""
    if not access.may_manage_templates(by):
        raise PermissionDenied
    draft = AssessmentTemplate.objects.filter(
        name=template.name, status=TemplateStatus.DRAFT
    ).first()
    if draft is not None:
        raise RecordError(
            f"Version {draft.version} is already being prepared: carry on with it, or publish "
            "it first."
        )
    latest = AssessmentTemplate.objects.filter(name=template.name).aggregate(v=Max("version"))["v"]
    content = template_content(template)
    new = AssessmentTemplate.objects.create(
        name=template.name,
        version=latest + 1,
        description=content.description,
        change_summary="",
        based_on=template,
        created_by=by,
    )
    _write_content(new, content)
    audit.record(
        user=by, action=AuditAction.CREATE, obj=new, detail=f"from version {template.version}"
    )
    return new


@transaction.atomic
def template_update(
    *, by: User, template: AssessmentTemplate, content: TemplateContent
) -> AssessmentTemplate:
    if not access.may_manage_templates(by):
        raise PermissionDenied
    template = AssessmentTemplate.objects.select_for_update().get(pk=template.pk)
    _refuse_if_published(template)
    problems = _template_problems(content)
    if problems:
        raise Incomplete(problems, what="The template cannot be saved")
    template.description = check_text("description", content.description)
    template.change_summary = check_text("change_summary", content.change_summary)
    template.save(update_fields=["description", "change_summary"])
    _write_content(template, content)
    audit.record(user=by, action=AuditAction.CHANGE, obj=template)
    return template


@transaction.atomic
def template_publish(*, by: User, template: AssessmentTemplate) -> AssessmentTemplate:
    if not access.may_manage_templates(by):
        raise PermissionDenied
    template = AssessmentTemplate.objects.select_for_update().get(pk=template.pk)
    _refuse_if_published(template)
    problems = _template_problems(template_content(template))
    if not template.change_summary.strip():
        problems.append(("change_summary", "Say what changed from the version before."))
    if problems:
        raise Incomplete(problems, what="The template cannot be published yet")
    template.status = TemplateStatus.PUBLISHED
    template.published_by = by
    template.published_at = timezone.now()
    template.save(update_fields=["status", "published_by", "published_at"])
    audit.record(user=by, action=AuditAction.CHANGE, obj=template, detail="published")
    return template
