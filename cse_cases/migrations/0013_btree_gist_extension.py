from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    """btree_gist lets one exclusion constraint compare a young person (equality)
    and a span of time (overlap): missing episodes never overlap."""

    dependencies = [("cse_cases", "0012_alias_name_knn_index")]

    operations = [BtreeGistExtension()]
