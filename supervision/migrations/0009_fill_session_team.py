"""Sessions recorded before the team was kept: the worker's team today is the
best we know (these sessions are all recent; the field is set when recorded
from now on)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Session = apps.get_model("supervision", "SupervisionSession")
    User = apps.get_model("cse_cases", "User")
    Session.objects.filter(team__isnull=True).update(
        team_id=Subquery(User.objects.filter(pk=OuterRef("worker_id")).values("team_id")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("supervision", "0008_session_team_at_the_time")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
