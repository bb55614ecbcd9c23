"""``keyplan backup -o FILE``: a backup of the live database (see
``keyplan.operations.backup``)."""

from django.core.management.base import BaseCommand, CommandError

from keyplan.operations.backup import BackupError, backup, human_size


class Command(BaseCommand):
    help = (
        "Back up the database while keyplan runs: SQLite through its online backup API "
        "(one self-contained file), PostgreSQL with pg_dump --format=custom."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "-o", "--output", required=True, metavar="FILE", help="the backup file to write"
        )

    def handle(self, *, output: str, **options) -> None:
        try:
            outcome = backup(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up the {outcome.engine} database ({outcome.contents}) to {outcome.path} "
            f"({human_size(outcome.size)})."
        )
