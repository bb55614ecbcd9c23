"""keyplan generate [--seed N] [--accounts N] [--csv DIR] [--flush]"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from keyplan.accounts.models import Account
from keyplan.territory.generator import Spec, generate
from keyplan.territory.writers import CsvWriter, DatabaseWriter


def _month(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--end {text!r} is not a month such as 2026-10.") from None


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic sales territory (users, accounts with "
        "hierarchies, contacts, products, 36 months of sales, opportunities, interactions) "
        "into the database, or as CSV files in the canonical import format with --csv."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="same seed, same territory")
        parser.add_argument("--accounts", type=int, default=300, help="number of accounts")
        parser.add_argument("--csv", metavar="DIR", help="write CSV files here instead")
        parser.add_argument(
            "--end",
            default="2026-10",
            metavar="YYYY-MM",
            help="last month of sales history (default 2026-10)",
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="delete the accounts, sales and products already there first",
        )

    def handle(self, *args, seed, accounts, csv, end, flush, **opts):
        if accounts < 1:
            raise CommandError("--accounts must be at least 1.")
        spec = Spec(seed=seed, accounts=accounts, end=_month(end))
        started = time.monotonic()
        if csv:
            counts = generate(spec, CsvWriter(csv))
            where = f"CSV files in {csv}"
        else:
            if Account.objects.exists():
                if not flush:
                    raise CommandError(
                        "The database already holds accounts; keyplan generate adds a whole "
                        "territory only to an empty one. Use --flush to delete the existing "
                        "territory first (users are kept), or --csv DIR to write files."
                    )
                self._flush()
            counts = generate(spec, DatabaseWriter())
            where = "the database"
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Generated into {where} in {seconds:.1f} s (seed {seed}): "
            f"{counts.users} users, {counts.accounts:,} accounts, {counts.contacts:,} contacts, "
            f"{counts.products} products, {counts.sale_lines:,} sale lines, "
            f"{counts.opportunities:,} opportunities, {counts.interactions:,} interactions."
        )
        if not csv:
            self.stdout.write("Demo logins (password 'demo'): admin, ops, manager, rep, exec")

    @transaction.atomic
    def _flush(self):
        from keyplan.accounts.models import AccountLineage
        from keyplan.catalog.models import Product, ProductLine
        from keyplan.sales.models import Opportunity, SaleLine, SalesMonth

        for model in (SalesMonth, SaleLine, Opportunity, AccountLineage):
            model.objects.all().delete()
        # Children before parents (parent is PROTECT).
        for depth in sorted(set(Account.objects.values_list("depth", flat=True)), reverse=True):
            Account.objects.filter(depth=depth).delete()
        Product.objects.all().delete()
        ProductLine.objects.all().delete()
