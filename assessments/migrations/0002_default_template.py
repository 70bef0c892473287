"""Load Harbour's default assessment template, version 1, as published data.

The data lives in assessments/data/default_template_v1.json. That file is part
of this migration: never edit it; publish a new version in the app instead.
"""

import json
from pathlib import Path

from django.db import migrations
from django.utils import timezone

DATA = Path(__file__).resolve().parent.parent / "data" / "default_template_v1.json"


def load(apps, schema_editor):
    Template = apps.get_model("assessments", "AssessmentTemplate")
    Domain = apps.get_model("assessments", "TemplateDomain")
    Indicator = apps.get_model("assessments", "TemplateIndicator")
    Band = apps.get_model("assessments", "ScoreBand")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    if Template.objects.filter(name=data["name"], version=data["version"]).exists():
        return
    now = timezone.now()
    template = Template.objects.create(
        name=data["name"],
        version=data["version"],
        status="published",
        description=data["description"],
        change_summary=data["change_summary"],
        created_at=now,
        published_at=now,
    )
    Band.objects.bulk_create(Band(template=template, **band) for band in data["bands"])
    for position, domain_data in enumerate(data["domains"], start=1):
        domain = Domain.objects.create(
            template=template,
            position=position,
            key=domain_data["key"],
            title=domain_data["title"],
            guidance=domain_data["guidance"],
            kind=domain_data["kind"],
        )
        Indicator.objects.bulk_create(
            Indicator(domain=domain, position=n, text=text, weight=weight, window=window)
            for n, (text, weight, window) in enumerate(domain_data["indicators"], start=1)
        )


def unload(apps, schema_editor):
    Template = apps.get_model("assessments", "AssessmentTemplate")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    Template.objects.filter(name=data["name"], version=data["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_assessments")]

    operations = [migrations.RunPython(load, unload)]
