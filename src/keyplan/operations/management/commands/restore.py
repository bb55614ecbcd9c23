"""``keyplan restore FILE [--force]``: put a backup made by ``keyplan backup`` back (see
``keyplan.operations.backup``)."""

from django.core.management.base import BaseCommand, CommandError

from keyplan.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by keyplan backup. Refuses to replace a database that holds "
        "keyplan data unless --force is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="a backup written by keyplan backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the database even though it holds data (everything in it is lost)",
        )

    def handle(self, *, file: str, force: bool, **options) -> None:
        try:
            outcome = restore(path=file, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {outcome.path} into the {outcome.engine} database: {outcome.contents}."
        )
        if outcome.pending_migrations:
            self.stdout.write(
                f"The backup predates {outcome.pending_migrations} migration(s) of this version "
                "of keyplan: run `keyplan migrate` before serving it."
            )
