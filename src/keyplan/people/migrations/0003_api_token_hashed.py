"""API tokens stored as digests instead of DRF's plaintext ``authtoken_token`` table.

Tokens issued before keep working: each key is hashed into ``people_apitoken`` with its
issue time, then the old table (no longer an installed app) is dropped so no plaintext
key stays in the database. Raw SQL, as ``rest_framework.authtoken`` is not installed any
more and a new database never had its table.
"""

import datetime
import hashlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.utils.dateparse import parse_datetime


OLD_TABLE = "authtoken_token"


def _aware(created):
    # SQLite hands the column back as text or a naive datetime, both in UTC.
    if isinstance(created, str):
        created = parse_datetime(created)
    if created.tzinfo is None:
        created = created.replace(tzinfo=datetime.timezone.utc)
    return created


def hash_old_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if OLD_TABLE not in connection.introspection.table_names():
        return
    ApiToken = apps.get_model("people", "ApiToken")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT key, user_id, created FROM {OLD_TABLE}")
        rows = cursor.fetchall()
    ApiToken.objects.bulk_create(
        ApiToken(
            user_id=user_id,
            prefix=key[:8],
            digest=hashlib.sha256(key.encode()).hexdigest(),
            created=_aware(created),
        )
        for key, user_id, created in rows
    )
    schema_editor.execute(f"DROP TABLE {OLD_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_user_external_id"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("prefix", models.CharField(db_index=True, max_length=8)),
                ("digest", models.CharField(max_length=64, unique=True)),
                ("created", models.DateTimeField()),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="api_tokens",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created"],
            },
        ),
        # Not reversible: the keys are gone once hashed.
        migrations.RunPython(hash_old_tokens, migrations.RunPython.noop),
    ]
