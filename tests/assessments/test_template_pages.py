"""A CSE lead prepares and publishes a new template version in the browser's pages."""

from __future__ import annotations

import re

from django.urls import reverse

from assessments.models import AssessmentTemplate, TemplateIndicator, TemplateStatus
from tests.conftest import signed_in_client


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _post_from_editor(page: str) -> dict:
    """What the browser would send: every input, select and textarea as shown."""
    data: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        field = re.search(r'name="([^"]+)"[^>]*value="([^"]*)"', tag)
        if field and 'type="checkbox"' not in tag:  # unticked boxes are not sent
            data[field.group(1)] = field.group(2)
    for name, body in re.findall(
        r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', page, flags=re.S
    ):
        chosen = re.search(r'<option value="([^"]*)"\s*selected', body) or re.search(
            r'<option value="([^"]*)"', body
        )
        data[name] = chosen.group(1)
    for name, body in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, flags=re.S
    ):
        data[name] = body
    data.pop("csrfmiddlewaretoken", None)
    return data


def test_everyone_with_records_reads_templates_but_only_cse_leads_change_them(template, grace):
    client = signed_in_client(grace)
    assert "Harbour CSE risk assessment, version 1" in text(
        client.get(reverse("assessment-templates"))
    )
    page = text(client.get(reverse("assessment-template", args=[template.pk])))
    assert "Online and phone use" in page
    assert "Start a new version" not in page
    assert (
        client.post(reverse("assessment-template-new-version", args=[template.pk])).status_code
        == 404
    )


def test_a_commissioner_gets_404(template, priya):
    assert signed_in_client(priya).get(reverse("assessment-templates")).status_code == 404


def test_a_cse_lead_adds_an_indicator_and_publishes_version_two(template, jo):
    client = signed_in_client(jo)
    response = client.post(reverse("assessment-template-new-version", args=[template.pk]))
    draft = AssessmentTemplate.objects.get(status=TemplateStatus.DRAFT)
    assert response.url == reverse("assessment-template-edit", args=[draft.pk])
    editor = client.get(response.url).content.decode()
    data = _post_from_editor(editor)
    # Online and phone use is domain 6; its first blank row follows its 4 indicators.
    assert data["d6-title"] == "Online and phone use"
    data["d6-i5-text"] = "Contact through online games with unknown adults"
    data["d6-i5-weight"] = "2"
    data["d1-i4-remove"] = "1"  # "Missing episodes 6 to 12 months ago"
    data["change_summary"] = "Online gaming added; earlier missing episodes folded in."
    saved = client.post(response.url, data)
    assert saved.status_code == 302, text(saved)[-3000:]
    texts = list(
        TemplateIndicator.objects.filter(domain__template=draft).values_list("text", flat=True)
    )
    assert "Contact through online games with unknown adults" in texts
    assert "Missing episodes 6 to 12 months ago" not in texts
    assert len(texts) == 50
    client.post(reverse("assessment-template-publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == TemplateStatus.PUBLISHED
    assert draft.published_by == jo


def test_the_editor_keeps_what_was_typed_when_something_is_wrong(template, jo):
    client = signed_in_client(jo)
    client.post(reverse("assessment-template-new-version", args=[template.pk]))
    draft = AssessmentTemplate.objects.get(status=TemplateStatus.DRAFT)
    url = reverse("assessment-template-edit", args=[draft.pk])
    data = _post_from_editor(client.get(url).content.decode())
    data["b1-min_score"] = "2"
    data["d6-i5-text"] = "A new indicator I typed"
    page = text(client.post(url, data))
    assert "The first score band starts at 0." in page
    assert 'value="A new indicator I typed"' in page


def test_a_published_version_cannot_be_edited(template, jo):
    client = signed_in_client(jo)
    response = client.get(reverse("assessment-template-edit", args=[template.pk]), follow=True)
    assert "is published, so it cannot change" in text(response)


def test_publishing_needs_a_summary_of_what_changed(template, jo):
    client = signed_in_client(jo)
    client.post(reverse("assessment-template-new-version", args=[template.pk]))
    draft = AssessmentTemplate.objects.get(status=TemplateStatus.DRAFT)
    page = text(client.post(reverse("assessment-template-publish", args=[draft.pk]), follow=True))
    assert "Say what changed from the version before." in page
    draft.refresh_from_db()
    assert draft.status == TemplateStatus.DRAFT


def test_a_second_draft_is_refused_while_one_is_prepared(template, jo):
    client = signed_in_client(jo)
    client.post(reverse("assessment-template-new-version", args=[template.pk]))
    page = text(
        client.post(reverse("assessment-template-new-version", args=[template.pk]), follow=True)
    )
    assert "Version 2 is already being prepared" in page


def test_template_pages_run_a_fixed_number_of_queries(template, jo, django_assert_max_num_queries):
    """The list, a draft and its editor: with the default template's 50
    indicators and two versions, then with 20 more indicators and two more
    versions."""
    client = signed_in_client(jo)
    client.post(reverse("assessment-template-new-version", args=[template.pk]))
    draft = AssessmentTemplate.objects.get(status=TemplateStatus.DRAFT)
    urls = [
        reverse("assessment-templates"),
        reverse("assessment-template", args=[draft.pk]),
        reverse("assessment-template-edit", args=[draft.pk]),
    ]
    counts = []
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(20) as measured:
            assert client.get(url).status_code == 200
        counts.append(len(measured.captured_queries))
    domain = draft.domains.order_by("position").first()
    TemplateIndicator.objects.bulk_create(
        TemplateIndicator(domain=domain, position=100 + n, text=f"Indicator {n}", weight=1)
        for n in range(20)
    )
    AssessmentTemplate.objects.bulk_create(
        AssessmentTemplate(
            name=f"{template.name} (pilot {n})",
            version=1,
            status=TemplateStatus.PUBLISHED,
            published_at=template.published_at,
            change_summary="A pilot",
        )
        for n in range(2)
    )
    pages = []
    for url, count in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(count):
            pages.append(text(client.get(url)))
    assert "pilot 1" in pages[0]
    assert "Indicator 19" in pages[1]
