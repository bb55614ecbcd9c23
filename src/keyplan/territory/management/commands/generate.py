"""keyplan generate [--seed N] [--accounts N] [--end YYYY-MM] [--months N] [--adoption]
[--csv DIR] [--flush] [--no-plans]"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from keyplan.accounts.models import Account
from keyplan.plans.demo import example_plans, plans_flush
from keyplan.reviews.demo import demo_reviews, reviews_flush
from keyplan.salesplan.demo import demo_quotas
from keyplan.salesplan.demo_territory import demo_territory_plans, territory_plans_flush
from keyplan.territory.generator import CsvWriter, DatabaseWriter, Spec, generate
from keyplan.territory.generator.flush import FlushRefused, territory_flush
from keyplan.territory.generator.records import DEFAULT_END

DEMO_LOGINS = "admin, ops, manager, rep, exec"


def _month(text: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"--end {text!r} is not a month such as 2026-10.") from None


class Command(BaseCommand):
    help = (
        "Generate a deterministic synthetic sales territory (our sales organisation, "
        "accounts with hierarchies, contacts in reporting lines, the product catalogue, "
        "36 months of sales, opportunities, interactions) into an empty database, or as CSV "
        "files in the canonical import format with --csv. The same seed and options give "
        "the same territory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=42, help="same seed, same territory")
        parser.add_argument(
            "--accounts", type=int, default=300, help="number of accounts (default 300)"
        )
        parser.add_argument(
            "--end",
            default=f"{DEFAULT_END:%Y-%m}",
            metavar="YYYY-MM",
            help=f"last month of the sales history (default {DEFAULT_END:%Y-%m})",
        )
        parser.add_argument(
            "--months",
            type=int,
            default=36,
            metavar="N",
            help="months of sales history (default 36; 12 to 120). White space's back-test "
            "learns from two years and checks the latest one: 48 months give it two "
            "seasons to learn from",
        )
        parser.add_argument(
            "--adoption",
            action="store_true",
            help="accounts also start buying new product lines during the history, more "
            "often lines bought with what they buy, favoured by their industry, and around "
            "the turn of the year; some lapse and come back (a known structure for white "
            "space's back-test to find)",
        )
        parser.add_argument(
            "--csv", metavar="DIR", help="write CSV files into DIR instead of the database"
        )
        parser.add_argument(
            "--flush",
            action="store_true",
            help="first delete the territory already in the database (accounts, contacts, "
            "sales, opportunities, products, account and territory plans); users, quotas and "
            "settings stay",
        )
        parser.add_argument(
            "--no-plans",
            action="store_true",
            help="without the example account plans of the demo user rep and the reps' "
            "territory plans",
        )

    def handle(self, *args, seed, accounts, end, months, adoption, csv, flush, no_plans, **options):
        if accounts < 1:
            raise CommandError("--accounts must be at least 1.")
        if not 12 <= months <= 120:
            raise CommandError(f"--months {months} is outside 12 to 120 months of history.")
        if csv and flush:
            raise CommandError("--flush deletes from the database; --csv does not write there.")
        spec = Spec(seed=seed, accounts=accounts, end=_month(end), months=months, adoption=adoption)
        started = time.monotonic()
        if csv:
            counts = generate(spec, CsvWriter(csv))
            where = f"CSV files in {csv}"
        else:
            # One transaction: the old territory goes only if the new one is complete.
            with transaction.atomic():
                if Account.objects.exists():
                    if not flush:
                        raise CommandError(
                            f"The database already holds a territory "
                            f"({Account.objects.count():,} accounts); keyplan generate only "
                            "fills an empty one. Add --flush to delete the existing territory "
                            "first (users and settings are kept), or --csv DIR to write files."
                        )
                    try:
                        reviews_flush()
                        plans_flush()
                        territory_plans_flush()
                        territory_flush()
                    except FlushRefused as refused:
                        raise CommandError(f"Cannot flush: {refused}") from None
                writer = DatabaseWriter()
                counts = generate(spec, writer)
                plans = [] if no_plans else example_plans(seed=seed)
                demo_quotas(seed=seed)
                territory_plans = [] if no_plans else demo_territory_plans(seed=seed)
                sittings = [] if no_plans else demo_reviews()
            where = "the database"
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Generated a territory into {where} in {seconds:.1f} s (seed {seed}):\n"
            f"  {counts.users:>12,} users\n"
            f"  {counts.accounts:>12,} accounts ({counts.groups:,} groups with hierarchies)\n"
            f"  {counts.contacts:>12,} contacts\n"
            f"  {counts.products:>12,} products\n"
            f"  {counts.sale_lines:>12,} sale lines ({spec.months} months to {spec.end:%Y-%m})\n"
            f"  {counts.opportunities:>12,} opportunities\n"
            f"  {counts.interactions:>12,} interactions"
        )
        if not csv:
            self.stdout.write(f"Demo logins (password 'demo'): {DEMO_LOGINS}")
            if plans:
                self.stdout.write(
                    f"Example account plans for rep: {', '.join(str(p.account) for p in plans)}"
                )
                from keyplan.mutual.links import share_path
                from keyplan.mutual.models import PlanShare

                shared = PlanShare.objects.filter(plan__in=plans).order_by("pk").first()
                if shared is not None:
                    self.stdout.write(
                        f"Shared with the customer (no sign-in): {share_path(shared)}"
                    )
            if territory_plans:
                self.stdout.write(
                    f"Territory plans for {len(territory_plans)} reps "
                    f"({territory_plans[0].period.name})"
                )
            if sittings:
                self.stdout.write(
                    "Quarterly reviews: "
                    + "; ".join(f"{s} ({s.state_label().lower()})" for s in sittings)
                )
            if writer.kept_users:
                self.stdout.write(
                    f"{writer.kept_users} of these users existed already and kept their "
                    "passwords and names."
                )
