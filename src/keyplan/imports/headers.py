"""Which column of a file holds which field, found from the headers alone.

One rule for the command line, the web import's preselection and the API: a header
matches a field when it is the field's name ignoring case, spaces, underscores and
punctuation (``Annual_Revenue``, ``annual revenue`` and ``AnnualRevenue`` are
``annual_revenue``), else when it is one of the field's known aliases — the headers of
common CRM reports (Salesforce, HubSpot, Dynamics) and ERP exports. A unit or currency
in brackets at the end of a header (``Amount (USD)``, ``Net Value [EUR]``) is ignored.
Exact names win over aliases, an alias listed earlier wins over a later one, and a column
serves one field.
"""

import re

from keyplan.imports.values import normalise_key

_NOT_ALNUM = re.compile(r"[\W_]+")
# A qualifier at the end of a header: "(USD)", "[EUR]", "(in €)", "(%)".
_QUALIFIER = re.compile(r"\s*(\([^()]*\)|\[[^\[\]]*\])\s*$")


def header_key(text: str) -> str:
    """A header as it is compared: lower case, without spaces, underscores or punctuation."""
    return _NOT_ALNUM.sub("", text.casefold())


# kind → field → aliases, most specific first. Only headers that unambiguously mean the
# field in that kind of file: a bare "Account" names the account of a contact or a sale,
# never an account's own name (a file of sales must not pass for a file of accounts).
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "accounts": {
        "external_id": (
            "Account ID",
            "Id",
            "Customer ID",
            "Customer Number",
            "Customer No",
            "Debtor Number",
            "Record ID",
        ),
        "name": (
            "Account Name",
            "Company Name",
            "Company",
            "Customer Name",
            "Customer",
            "Organization Name",
            "Organisation Name",
            "Organization",
            "Organisation",
            "Legal Name",
        ),
        "parent": (
            "Parent Account",
            "Parent Account ID",
            "Parent ID",
            "Parent Account Name",
            "Parent Company",
        ),
        "level": ("Account Level", "Entity Level", "Hierarchy Level"),
        "industry": ("Industry Sector", "Sector", "Vertical"),
        "country": (
            "Billing Country",
            "Country Code",
            "Country/Region",
            "Shipping Country",
            "Country Key",
        ),
        "region": ("Sales Region", "Territory", "Sales Territory"),
        "employees": (
            "Number of Employees",
            "No. of Employees",
            "Employee Count",
            "Headcount",
        ),
        "annual_revenue": ("Revenue", "Company Revenue", "Annual Turnover", "Turnover"),
        "owner": (
            "Account Owner",
            "Account Owner Email",
            "Owner",
            "Owner ID",
            "Account Manager",
            "Sales Rep",
        ),
        "website": ("Web Site", "Website URL", "URL", "Homepage", "Web"),
    },
    "contacts": {
        "external_id": ("Contact ID", "Id", "Record ID"),
        "account": (
            "Account Name",
            "Account ID",
            "Company Name",
            "Company",
            "Customer",
            "Organization",
            "Organisation",
        ),
        "first_name": ("First", "Given Name", "Forename"),
        "last_name": ("Last", "Surname", "Family Name"),
        "name": ("Full Name", "Contact Name", "Contact"),
        "title": ("Job Title", "Position"),
        "function": ("Department", "Job Function"),
        "seniority": ("Job Level", "Management Level", "Level"),
        "email": ("Email Address", "E-mail", "Work Email", "Mail"),
        "phone": (
            "Phone Number",
            "Business Phone",
            "Work Phone",
            "Telephone",
            "Mobile",
            "Mobile Phone",
        ),
        "reports_to": ("Reports To ID", "Reports To Email", "Manager"),
        "decision_role": ("Buying Role", "Contact Role", "Role in Decision", "Role"),
        "attitude": ("Sentiment", "Disposition"),
        "relationship_strength": ("Relationship", "Relationship Level"),
        "relationship_owner": ("Contact Owner", "Owner", "Owner ID"),
        "active": ("Is Active", "Active Contact"),
    },
    "products": {
        "external_id": (
            "Product ID",
            "Id",
            "Product Code",
            "SKU",
            "Item Number",
            "Item No",
            "Material Number",
            "Material",
        ),
        "name": ("Product Name", "Product", "Item Name", "Material Description"),
        "product_line": (
            "Product Family",
            "Family",
            "Product Group",
            "Product Category",
            "Category",
        ),
        "list_price": ("Unit Price", "Standard Price", "Price"),
        "core": ("Core Line", "Is Core"),
        "active": ("Is Active", "Active Product"),
    },
    "sales": {
        "external_id": (
            "Line ID",
            "Invoice Line ID",
            "Invoice Line",
            "Order Line ID",
            "Order Line",
            "Line Item ID",
            "Id",
        ),
        "account": (
            "Account Name",
            "Account ID",
            "Customer ID",
            "Customer Number",
            "Customer No",
            "Customer Name",
            "Customer",
            "Sold-to Party",
            "Sold-to",
            "Bill-to Customer",
            "Debtor",
            "Client",
        ),
        "product": (
            "Product ID",
            "Product Code",
            "Product Name",
            "Item Number",
            "Item No",
            "Item",
            "SKU",
            "Material",
            "Article",
        ),
        "date": (
            "Invoice Date",
            "Billing Date",
            "Posting Date",
            "Order Date",
            "Sale Date",
            "Transaction Date",
            "Document Date",
        ),
        "amount": (
            "Net Amount",
            "Net Value",
            "Net Sales",
            "Line Total",
            "Total Price",
            "Extended Price",
            "Revenue",
            "Sales",
            "Value",
            "Total",
        ),
        "quantity": ("Qty", "Billed Quantity", "Quantity Sold", "Units"),
        "opportunity": ("Opportunity ID", "Deal ID"),
    },
    "opportunities": {
        "external_id": ("Opportunity ID", "Deal ID", "Id", "Record ID"),
        "name": ("Opportunity Name", "Deal Name", "Opportunity", "Deal"),
        "account": (
            "Account Name",
            "Account ID",
            "Company Name",
            "Company",
            "Customer Name",
            "Customer",
            "Associated Company",
        ),
        "product": ("Product Name", "Product ID", "Primary Product"),
        "stage": ("Stage Name", "Deal Stage", "Sales Stage", "Pipeline Stage", "Status"),
        "amount": ("Opportunity Amount", "Deal Amount", "Deal Value", "Total Amount", "Value"),
        "probability": ("Probability (%)", "Win Probability", "Deal Probability"),
        "created_date": ("Created", "Create Date", "Date Created", "Open Date"),
        "close_date": (
            "Expected Close Date",
            "Closing Date",
            "Closed Date",
            "Expected Close",
            "Close",
        ),
        "owner": ("Opportunity Owner", "Deal Owner", "Owner", "Owner ID", "Sales Rep"),
    },
    "opportunity_products": {
        "external_id": ("Line Item ID", "Opportunity Product ID", "Id"),
        "opportunity": ("Opportunity ID", "Deal ID"),
        "product": ("Product Name", "Product ID", "Product2Id"),
        "amount": ("Total Price", "Line Total"),
        "quantity": ("Qty", "Units"),
    },
    "users": {
        "username": ("User Name", "Login", "Login Name", "Sign-in Name"),
        "email": ("Email Address", "E-mail", "Work Email"),
        "name": ("Full Name", "Display Name"),
        "role": ("User Role", "keyplan Role"),
        "manager": ("Manager ID", "Manager Email", "Reports To", "Line Manager"),
        "team": ("Team Name", "Sales Team"),
        "external_id": ("User ID", "Id", "Employee ID", "Employee Number"),
    },
    "interactions": {
        "external_id": ("Activity ID", "Task ID", "Event ID", "Id"),
        "date": ("Activity Date", "Meeting Date", "Start Date", "Due Date"),
        "kind": ("Activity Type", "Type", "Task Subtype", "Event Type", "Channel"),
        "contacts": (
            "Contact IDs",
            "Contact ID",
            "Contact Emails",
            "Contact Email",
            "Contact",
            "Attendees",
            "Participants",
        ),
        "user": ("Assigned To", "Activity Owner", "Owner", "Owner ID"),
        "executive": ("Executive Meeting", "Is Executive"),
        "subject": ("Title", "Topic"),
        "notes": ("Description", "Comments", "Body", "Summary"),
    },
    "quotas": {
        "period": ("Fiscal Period", "Quota Period", "Fiscal Year", "FY"),
        "level": ("Quota Level", "Quota Type", "Assigned To Type"),
        "rep": ("Sales Rep", "Rep Username", "Rep Email", "Quota Owner", "Owner", "User"),
        "team": ("Team Name", "Sales Team"),
        "amount": ("Quota", "Quota Amount", "Target", "Target Amount"),
    },
}


def column_index(headers: list[str], column: str) -> int | None:
    """Where a column named by a mapping is: the same header (case- and
    whitespace-insensitive), else the same header ignoring punctuation too."""
    wanted = normalise_key(column)
    for i, header in enumerate(headers):
        if normalise_key(header) == wanted:
            return i
    wanted = header_key(column)
    for i, header in enumerate(headers):
        if wanted and header_key(header) == wanted:
            return i
    return None


def match_headers(
    kind_cls, headers: list[str], *, skip_fields=(), used_columns=()
) -> dict[str, int]:
    """Field → column index for every field (not in ``skip_fields``) whose name or alias
    is a header of the file; columns in ``used_columns`` are left alone."""
    by_key: dict[str, int] = {}
    for i, header in enumerate(headers):
        key = header_key(header)
        if key:
            by_key.setdefault(key, i)
    for i, header in enumerate(headers):
        # "Amount (USD)", "Net Amount [EUR]": a header with a unit or currency after it
        # is the header without it, unless another column is called that.
        key = header_key(_QUALIFIER.sub("", header))
        if key:
            by_key.setdefault(key, i)
    used = set(used_columns)
    result: dict[str, int] = {}
    wanted = [f.name for f in kind_cls.fields if f.name not in skip_fields]
    for name in wanted:
        index = by_key.get(header_key(name))
        if index is not None and index not in used:
            result[name] = index
            used.add(index)
    aliases = ALIASES.get(kind_cls.name, {})
    for name in wanted:
        if name in result:
            continue
        for alias in aliases.get(name, ()):
            index = by_key.get(header_key(alias))
            if index is not None and index not in used:
                result[name] = index
                used.add(index)
                break
    return result


def preselect(kind_cls, headers: list[str], mapping: dict[str, str]):
    """What a mapping form starts with: ``mapping``'s fields whose column the file has,
    then every other field its headers match. Never refuses (an unmapped required field
    is for the user to choose). Returns (field → column index, fields of ``mapping``
    whose column the file lacks)."""
    targets = {f.name for f in kind_cls.fields}
    result: dict[str, int] = {}
    absent: list[str] = []
    for target, source in mapping.items():
        if target not in targets or not source:
            continue
        index = column_index(headers, source)
        if index is None or index in result.values():
            absent.append(target)
        else:
            result[target] = index
    result.update(
        match_headers(kind_cls, headers, skip_fields=set(result), used_columns=result.values())
    )
    return result, absent


def fits(headers: list[str], mapping: dict[str, str]) -> bool:
    """Whether every column a (saved) mapping names is in the file."""
    columns = [c for c in mapping.values() if c]
    return bool(columns) and all(column_index(headers, c) is not None for c in columns)
