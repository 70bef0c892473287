"""Fill each case's last contact from its contact notes and held return
interviews (alter in 0015, fill here). Set-based: two UPDATEs."""

from django.db import migrations
from django.db.models import Exists, Max, OuterRef, Subquery

CONTACT_NOTE_TYPES = ("contact_young_person", "contact_family")


def fill(apps, schema_editor):
    Case = apps.get_model("cse_cases", "Case")
    CaseNote = apps.get_model("cse_cases", "CaseNote")
    ReturnInterview = apps.get_model("cse_cases", "ReturnInterview")
    notes = (
        CaseNote.objects.filter(case=OuterRef("pk"), note_type__in=CONTACT_NOTE_TYPES)
        .order_by()
        .values("case")
        .annotate(last=Max("occurred_at"))
        .values("last")
    )
    Case.objects.filter(Exists(notes)).update(last_contact_at=Subquery(notes))
    # A held return interview counts for the young person's open case.
    interviews = (
        ReturnInterview.objects.filter(
            episode__young_person=OuterRef("young_person"), held_at__isnull=False
        )
        .order_by()
        .values("episode__young_person")
        .annotate(last=Max("held_at"))
        .values("last")
    )
    held = Subquery(interviews)
    Case.objects.filter(status="open").filter(Exists(interviews)).exclude(
        last_contact_at__gte=held
    ).update(last_contact_at=held)


class Migration(migrations.Migration):
    dependencies = [
        ("cse_cases", "0015_case_last_contact_at"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
