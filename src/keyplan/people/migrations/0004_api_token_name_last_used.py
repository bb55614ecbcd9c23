"""An API token's name (what its holder says it is for) and when it was last used, for
the person's own list of tokens on ``/me/api-tokens/``."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0003_api_token_hashed"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="name",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="last_used",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
