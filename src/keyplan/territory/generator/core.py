"""The walk through a territory: organisation and catalogue first, then account family by
account family, each account's facts handed to the writer as soon as they are made."""

import random

from keyplan.territory.generator.adoption import adopted_sales
from keyplan.territory.generator.contacts import PeopleMaker
from keyplan.territory.generator.customers import AccountMaker
from keyplan.territory.generator.organisation import sales_organisation
from keyplan.territory.generator.records import Counts, Spec
from keyplan.territory.generator.sales import SalesMaker
from keyplan.territory.generator.writer import Writer


def generate(spec: Spec, writer: Writer) -> Counts:
    """Generate the territory ``spec`` describes into ``writer``; return what was made.

    Memory stays flat whatever the size: only the current account family's records are
    held, and the writer is handed each account's records as soon as they exist."""
    r = random.Random(spec.seed)
    counts = Counts()
    writer.begin()
    try:
        org = sales_organisation(accounts=spec.accounts, r=r)
        writer.users(org.users)
        counts.users = len(org.users)
        sales = SalesMaker(r, spec)
        writer.products(sales.products)
        counts.products = len(sales.products)
        accounts = AccountMaker(r, org)
        people = PeopleMaker(r, org)
        while counts.accounts < spec.accounts:
            family = accounts.family(room=spec.accounts - counts.accounts)
            writer.accounts([account for account, _weight in family])
            counts.accounts += len(family)
            counts.groups += len(family) > 1
            for account, weight in family:
                team = accounts.team(account, weight)
                writer.team_members(team)
                counts.team_members += len(team)
                contacts = people.contacts(account, weight)
                writer.contacts(contacts)
                counts.contacts += len(contacts)
                sponsor = next((m.user for m in team if m.role == "executive_sponsor"), None)
                interactions = people.interactions(
                    account, weight, contacts, sponsor=sponsor, last_day=sales.last_day
                )
                writer.interactions(interactions)
                counts.interactions += len(interactions)
                bought = sales.lines_bought(account, weight)
                spend, factor = sales.terms(weight)
                opportunities = sales.opportunities(account, weight, bought, spend, factor)
                writer.opportunities(opportunities)
                counts.opportunities += len(opportunities)
                lines = sales.sale_lines(account, weight, bought, spend, factor)
                if spec.adoption:
                    lines += adopted_sales(sales, account, weight, bought, spend, factor)
                writer.sale_lines(lines)
                counts.sale_lines += len(lines)
    except BaseException:
        writer.abort()
        raise
    writer.finish()
    return counts
