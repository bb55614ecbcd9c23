"""A deterministic synthetic sales territory, for the demo, tests and benchmarks.

``generate(spec, writer)`` (``core.py``) walks the territory once, account family by
account family, and hands each record to a writer: ``DatabaseWriter`` (``db_writer.py``)
or ``CsvWriter`` (``csv_writer.py``, the canonical import format), so both describe the
same territory and 100,000 accounts with ~10,000,000 sale lines stream through in
constant memory. Everything comes from one ``random.Random(seed)``: the same seed and
options give the same territory, byte for byte in CSV.

By subject: ``organisation.py`` (our users and teams), ``customers.py`` (accounts,
hierarchies, account teams), ``contacts.py`` (contacts and interactions), ``sales.py``
(catalogue, pipeline, sales history), ``vocabulary.py`` (names, titles, products),
``starting.py`` (the demo's starting tiers and stakeholder roles), ``flush.py``
(emptying the territory for ``--flush``).
"""

from keyplan.territory.generator.core import generate
from keyplan.territory.generator.csv_writer import CSV_COLUMNS, IMPORT_ORDER, CsvWriter
from keyplan.territory.generator.db_writer import DatabaseWriter
from keyplan.territory.generator.records import Counts, Spec
from keyplan.territory.generator.writer import Writer

__all__ = [
    "CSV_COLUMNS",
    "IMPORT_ORDER",
    "Counts",
    "CsvWriter",
    "DatabaseWriter",
    "Spec",
    "Writer",
    "generate",
]
