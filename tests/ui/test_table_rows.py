"""List tables render their rows in one pass (``{% table_rows %}``) with exactly the HTML
the per-cell template loop gave — same cells, attributes, localisation and escaping — and
django-tables2 no longer inspects a cell function's signature for every cell."""

import datetime
import inspect
from decimal import Decimal

import django_tables2 as tables
import pytest
from django.template import Context, Template
from django.test import RequestFactory

from keyplan.accounts.tables import ContactTable
from keyplan.sales.tables import OpportunityTable
from tests.factories import AccountFactory, ContactFactory, OpportunityFactory

pytestmark = pytest.mark.django_db

# The rows as ui/table.html wrote them before: a template loop over every cell; a table
# that stacks on a phone (class "stack-on-phone") also names every cell but the first
# after its column (data-label, shown before the value on a phone).
LOOP = Template(
    "{% for row in table.paginated_rows %}"
    "\n    <tr>{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}"
    '{% if stacks and not forloop.first %} data-label="{{ column.header }}"{% endif %}>'
    "{{ cell }}</td>{% endfor %}</tr>\n  "
    "{% endfor %}"
)
ONE_PASS = Template("{% load keyplan %}{% table_rows table %}")


class Sample(tables.Table):
    """Cells of every kind the pages use: plain values (a date and an amount the template
    engine localises), a render method, a link, a callable attribute and hostile text."""

    name = tables.Column(linkify=lambda record: f"/x/{record['id']}/")
    when = tables.Column()
    amount = tables.Column(attrs={"td": {"class": "num"}})
    note = tables.Column(attrs={"td": {"data-size": lambda value: len(str(value))}})
    doubled = tables.Column(accessor="amount")

    def render_doubled(self, value, record):
        return f"{value * 2:,.0f} ({record['id']})"


def rendered(template, table):
    stacks = "stack-on-phone" in str(table.attrs.get("class", "")).split()
    return template.render(Context({"table": table, "stacks": stacks}))


def sample_rows():
    return [
        {
            "id": i,
            "name": f"<b>Account {i}</b>",
            "when": datetime.date(2026, 1, i + 1),
            "amount": Decimal("1234.50") * (i + 1),
            "note": "" if i == 1 else f"note & {'x' * i}",
        }
        for i in range(3)
    ]


def test_one_pass_renders_what_the_loop_rendered():
    table = Sample(sample_rows())
    expected = rendered(LOOP, table)
    assert "&lt;b&gt;Account 0&lt;/b&gt;" in expected  # names are escaped
    assert 'data-size="' in expected  # the callable attribute was applied
    assert rendered(ONE_PASS, Sample(sample_rows())) == expected


def test_a_real_list_page_table_is_unchanged(rf: RequestFactory):
    account = AccountFactory(name="Ünïcode & <Co>")
    boss = ContactFactory(account=account, first_name="Ada", last_name="Boss")
    ContactFactory(account=account, reports_to=boss)
    OpportunityFactory(account=account, name="Deal <1>", amount=Decimal("250000"))
    OpportunityFactory(account=account, amount=None, close_date=None)
    for table_class, model_rows in (
        (ContactTable, account.contacts.all()),
        (OpportunityTable, account.opportunities.all()),
    ):
        table = table_class(model_rows)
        table.context = Context()
        expected = rendered(LOOP, table)
        again = table_class(model_rows)
        again.context = Context()
        assert rendered(ONE_PASS, again) == expected
        assert expected.count("<tr>") == 2
        # The opportunities list stacks on a phone, its figures named; contacts do not.
        assert ('data-label="Stage"' in expected) == (table_class is OpportunityTable)
        assert 'data-label="Name"' not in expected  # a row's title needs no label


def test_an_empty_table_says_so(client, org):
    client.force_login(org.rep)
    response = client.get("/opportunities/?q=nothing-is-called-this")
    assert response.status_code == 200
    assert "No opportunities match these filters." in response.content.decode()


def test_a_cell_functions_signature_is_inspected_once_not_per_cell(monkeypatch):
    calls = []
    real = inspect.signature

    def counting(fn, *args, **kwargs):
        calls.append(getattr(fn, "__name__", fn))
        return real(fn, *args, **kwargs)

    monkeypatch.setattr(inspect, "signature", counting)
    rendered(ONE_PASS, Sample(sample_rows()))
    first = calls.count("render_doubled")
    rendered(ONE_PASS, Sample(sample_rows() * 10))
    assert first <= 1
    assert calls.count("render_doubled") == first, "asked again for every cell"
