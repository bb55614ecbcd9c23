"""A generated territory as CSV files in the canonical import format: one file per kind,
UTF-8, a header row, references by external id (accounts, contacts, products) or
username (users), ISO dates. ``keyplan import <kind> <file>`` loads each file."""

import csv
from pathlib import Path

from keyplan.territory.generator.records import account_xid, contact_xid
from keyplan.territory.generator.writer import Writer

CSV_COLUMNS = {
    "users": ("username", "email", "name", "role", "manager", "team"),
    "accounts": (
        "external_id",
        "name",
        "parent",
        "industry",
        "country",
        "employees",
        "annual_revenue",
        "owner",
        "website",
    ),
    "contacts": (
        "external_id",
        "account",
        "first_name",
        "last_name",
        "title",
        "function",
        "seniority",
        "email",
        "phone",
        "reports_to",
    ),
    "products": ("external_id", "name", "product_line", "list_price", "core"),
    "sales": ("external_id", "account", "product", "date", "amount", "quantity"),
    "opportunities": (
        "external_id",
        "name",
        "account",
        "product",
        "stage",
        "amount",
        "probability",
        "created_date",
        "close_date",
        "owner",
    ),
    "interactions": ("external_id", "date", "kind", "contacts", "user", "executive", "notes"),
}
# The order to import them in: every file refers only to kinds imported before it.
IMPORT_ORDER = (
    "users",
    "accounts",
    "products",
    "contacts",
    "opportunities",
    "sales",
    "interactions",
)


def _bool(value: bool) -> str:
    return "true" if value else "false"


class CsvWriter(Writer):
    def __init__(self, folder):
        self.folder = Path(folder)

    def begin(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        self.files, self.out = {}, {}
        for kind, columns in CSV_COLUMNS.items():
            fh = open(self.folder / f"{kind}.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
            self.files[kind] = fh
            self.out[kind] = csv.writer(fh, lineterminator="\n")
            self.out[kind].writerow(columns)

    def users(self, users):
        self.usernames = {u.n: u.username for u in users}
        self.out["users"].writerows(
            (u.username, u.email, u.name, u.role, self.usernames.get(u.manager, ""), u.team or "")
            for u in users
        )

    def products(self, products):
        self.product_ids = {p.n: p.external_id for p in products}
        self.out["products"].writerows(
            (p.external_id, p.name, p.line, p.list_price, _bool(p.core)) for p in products
        )

    def accounts(self, accounts):
        users = self.usernames
        self.out["accounts"].writerows(
            (
                a.external_id,
                a.name,
                account_xid(a.parent) if a.parent else "",
                a.industry,
                a.country,
                a.employees,
                a.annual_revenue,
                users[a.owner],
                a.website,
            )
            for a in accounts
        )

    def contacts(self, contacts):
        self.out["contacts"].writerows(
            (
                c.external_id,
                account_xid(c.account),
                c.first_name,
                c.last_name,
                c.title,
                c.function,
                c.seniority,
                c.email,
                c.phone,
                contact_xid(c.reports_to) if c.reports_to else "",
            )
            for c in contacts
        )

    def interactions(self, interactions):
        users = self.usernames
        self.out["interactions"].writerows(
            (
                i.external_id,
                i.date.isoformat(),
                i.kind,
                ";".join(contact_xid(n) for n in i.contacts),
                users[i.user],
                _bool(i.executive),
                i.subject,
            )
            for i in interactions
        )

    def opportunities(self, opportunities):
        users, products = self.usernames, self.product_ids
        self.out["opportunities"].writerows(
            (
                o.external_id,
                o.name,
                account_xid(o.account),
                products[o.product],
                o.stage,
                o.amount,
                o.probability,
                o.created_date.isoformat(),
                o.close_date.isoformat(),
                users[o.owner],
            )
            for o in opportunities
        )

    def sale_lines(self, lines):
        products = self.product_ids
        self.out["sales"].writerows(
            (
                s.external_id,
                account_xid(s.account),
                products[s.product],
                s.date.isoformat(),
                s.amount,
                s.quantity,
            )
            for s in lines
        )

    def finish(self):
        for fh in self.files.values():
            fh.close()

    abort = finish
