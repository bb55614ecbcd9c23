"""Imports failed because the background worker stopped are marked, so their page can offer
to start the same file again; those recorded before the mark are found by their message
(``services.worker_lost_message``)."""

from django.db import migrations, models


def mark_lost_runs(apps, schema_editor):
    ImportRun = apps.get_model("imports", "ImportRun")
    ImportRun.objects.filter(
        status="failed", failure__startswith="The background worker stopped while"
    ).update(worker_lost=True)


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0003_import_run_write_lock_seconds'),
    ]

    operations = [
        migrations.AddField(
            model_name='importrun',
            name='worker_lost',
            field=models.BooleanField(default=False, help_text='Failed because the background worker stopped before it finished (the file itself may be fine: it can be started again)'),
        ),
        migrations.RunPython(mark_lost_runs, migrations.RunPython.noop),
    ]
