"""keyplan purge_deleted: empty the recycle bin of what was deleted more than 30 days ago."""

from django.core.management.base import BaseCommand

from keyplan.audit.bin import RETENTION_DAYS, purge_deleted
from keyplan.core.words import plural


class Command(BaseCommand):
    help = (
        f"Purge recycle-bin entries deleted more than {RETENTION_DAYS} days ago (they can "
        "no longer be restored). Also done whenever someone opens the recycle bin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=RETENTION_DAYS,
            help=f"keep entries younger than this many days (default {RETENTION_DAYS})",
        )

    def handle(self, *args, days, **opts):
        if days < 0:
            from django.core.management.base import CommandError

            raise CommandError(f"--days must be 0 or more, not {days}.")
        count = purge_deleted(days=days)
        self.stdout.write(
            f"Purged {plural(count, 'record')} deleted more than {days} days ago from the "
            "recycle bin."
        )
