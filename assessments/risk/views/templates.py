"""Assessment template pages: read any version; CSE leads prepare and publish new ones."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from assessments.models import ASSESSED_LEVELS, MAX_WEIGHT, DomainKind, TemplateStatus, Window
from assessments.risk import selectors, services
from cse_cases import access
from cse_cases.services import RecordError

# Blank rows the editor offers for new indicators, bands and a new domain.
NEW_INDICATOR_ROWS = 2


def template_list(request: HttpRequest) -> HttpResponse:
    access.require_records(request.user)
    templates = selectors.templates_for(request.user).annotate(in_use=Count("assessments"))
    return render(
        request,
        "assessments/risk/templates.html",
        {
            "templates": templates,
            "current": selectors.current_template(),
            "may_manage": access.may_manage_templates(request.user),
        },
    )


def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = access.template_for(request.user, pk)
    template = selectors.template_with_content(template.pk)
    return render(
        request,
        "assessments/risk/template.html",
        {
            "template": template,
            "in_use": template.assessments.count(),
            "may_manage": access.may_manage_templates(request.user),
            "current": selectors.current_template(),
        },
    )


def _managed(request: HttpRequest, pk: int):
    if not access.may_manage_templates(request.user):
        raise Http404
    return access.template_for(request.user, pk)


@require_POST
def template_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    template = _managed(request, pk)
    try:
        new = services.template_new_version(by=request.user, template=template)
    except RecordError as error:
        messages.error(request, str(error))
        return redirect("assessment-template", pk=template.pk)
    messages.success(
        request, f"Version {new.version} is a draft copy of version {template.version}."
    )
    return redirect("assessment-template-edit", pk=new.pk)


def _int_or_raw(value: str):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def content_from_post(post: QueryDict) -> services.TemplateContent:
    """The editor's rows as template content; blank and removed rows are dropped."""
    domains = []
    n = 1
    while f"d{n}-title" in post:
        title = post.get(f"d{n}-title", "").strip()
        indicators = []
        m = 1
        while f"d{n}-i{m}-text" in post:
            text = post.get(f"d{n}-i{m}-text", "").strip()
            if text and not post.get(f"d{n}-i{m}-remove"):
                indicators.append(
                    {
                        "text": text,
                        "weight": _int_or_raw(post.get(f"d{n}-i{m}-weight", "")),
                        "window": post.get(f"d{n}-i{m}-window", ""),
                    }
                )
            m += 1
        if title or indicators:
            domains.append(
                {
                    "key": post.get(f"d{n}-key") or slugify(title)[:50] or f"domain-{n}",
                    "title": title,
                    "kind": post.get(f"d{n}-kind") or DomainKind.RISK,
                    "guidance": post.get(f"d{n}-guidance", "").strip(),
                    "indicators": indicators,
                }
            )
        n += 1
    bands = []
    n = 1
    while f"b{n}-label" in post:
        label = post.get(f"b{n}-label", "").strip()
        if label and not post.get(f"b{n}-remove"):
            bands.append(
                {
                    "min_score": _int_or_raw(post.get(f"b{n}-min_score", "")),
                    "level": post.get(f"b{n}-level", ""),
                    "label": label,
                }
            )
        n += 1
    return services.TemplateContent(
        description=post.get("description", "").strip(),
        change_summary=post.get("change_summary", "").strip(),
        bands=bands,
        domains=domains,
    )


def _editor_rows(content: services.TemplateContent) -> tuple[list[dict], list[dict]]:
    """Existing rows plus blank ones to add to, numbered as the form names them."""
    domains = [
        {**d, "indicators": list(d["indicators"]) + [{}] * NEW_INDICATOR_ROWS}
        for d in content.domains
    ]
    domains.append({"new": True, "kind": DomainKind.RISK, "indicators": [{}] * 3})
    bands = [*list(content.bands), {}]
    return domains, bands


@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = _managed(request, pk)
    if template.status == TemplateStatus.PUBLISHED:
        messages.error(
            request,
            f"Version {template.version} is published, so it cannot change: start a new "
            "version instead.",
        )
        return redirect("assessment-template", pk=template.pk)
    problems: list[str] = []
    if request.method == "POST":
        content = content_from_post(request.POST)
        try:
            services.template_update(by=request.user, template=template, content=content)
        except services.Incomplete as error:
            problems = [message for _, message in error.problems]
        except RecordError as error:
            problems = [str(error)]
        else:
            messages.success(request, f"Version {template.version} is saved as a draft.")
            return redirect("assessment-template", pk=template.pk)
    else:
        content = services.template_content(template)
    domains, bands = _editor_rows(content)
    return render(
        request,
        "assessments/risk/template_form.html",
        {
            "template": template,
            "content": content,
            "domains": domains,
            "bands": bands,
            "problems": problems,
            "weights": range(MAX_WEIGHT + 1),
            "windows": Window.choices,
            "levels": ASSESSED_LEVELS,
        },
    )


@require_POST
def template_publish(request: HttpRequest, pk: int) -> HttpResponse:
    template = _managed(request, pk)
    try:
        services.template_publish(by=request.user, template=template)
    except services.Incomplete as error:
        for _, message in error.problems:
            messages.error(request, message)
    except RecordError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"Version {template.version} is published: new assessments start on it. "
            "Assessments already started keep their version.",
        )
    return redirect("assessment-template", pk=template.pk)
