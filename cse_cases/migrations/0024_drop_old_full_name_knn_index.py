# The old whole-name index, replaced by 0023's (256-byte signatures).

from django.contrib.postgres.operations import RemoveIndexConcurrently
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("cse_cases", "0023_full_name_knn_signature"),
    ]

    operations = [
        RemoveIndexConcurrently(model_name="youngperson", name="yp_full_name_knn_idx"),
    ]
