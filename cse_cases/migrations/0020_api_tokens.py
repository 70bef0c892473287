"""API tokens move from DRF's authtoken (plain-text keys) to cse_cases.ApiToken
(django-rest-knox: SHA-512 digests, names, expiry), and service accounts get
their flag.

Existing keys keep working: each was random, so its SHA-512 is a valid stored
digest. They are named "Issued before tokens had names" and expire 90 days
after this migration, giving partners time to change to a named token. The
plain-text table is then dropped, with DRF's migration records, so no key
stays readable in the database.
"""

import hashlib
from datetime import timedelta

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_TABLE = "authtoken_token"
MIGRATED_NAME = "Issued before tokens had names"
MIGRATED_DAYS = 90


def hash_drf_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    from django.utils import timezone

    ApiToken = apps.get_model("cse_cases", "ApiToken")
    expiry = timezone.now() + timedelta(days=MIGRATED_DAYS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT key, user_id, created FROM authtoken_token")
        rows = cursor.fetchall()
    for key, user_id, created in rows:
        # knox.crypto.hash_token, with REST_KNOX's SECURE_HASH_ALGORITHM (sha512).
        token = ApiToken(
            digest=hashlib.sha512(key.encode()).hexdigest(),
            token_key=key[:15],
            user_id=user_id,
            expiry=expiry,
            name=MIGRATED_NAME,
        )
        token.save()
        # auto_now_add set "created" to now: keep the old token's date.
        ApiToken.objects.filter(pk=token.pk).update(created=created)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE authtoken_token")
        cursor.execute("DELETE FROM django_migrations WHERE app = 'authtoken'")


class Migration(migrations.Migration):
    dependencies = [
        ("cse_cases", "0019_person_of_concern_shares"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="is_service_account",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                ("token_key", models.CharField(db_index=True, max_length=25)),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("digest", models.CharField(max_length=128, unique=True)),
                ("expiry", models.DateTimeField()),
                ("name", models.CharField(max_length=100)),
                ("last_used_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="auth_token_set",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "API token",
                "ordering": ["-created"],
                "indexes": [
                    models.Index(fields=["user", "expiry"], name="api_token_user_expiry_idx")
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("name", ""), _negated=True), name="api_token_named"
                    )
                ],
            },
        ),
        # No way back: the plain-text keys are gone on purpose.
        migrations.RunPython(hash_drf_tokens, migrations.RunPython.noop),
    ]
