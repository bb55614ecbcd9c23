"""Size bands by employee count: with the industry, what makes two accounts peers — for
white space's propensities and share of wallet's benchmarks alike."""

from django.db.models import Case, CharField, Value, When

BANDS = ((100, "1–99"), (1000, "100–999"), (10000, "1,000–9,999"), (None, "10,000+"))


def size_band(employees: int | None) -> str:
    if employees is None:
        return "unknown"
    for limit, label in BANDS:
        if limit is None or employees < limit:
            return label
    return BANDS[-1][1]


def size_band_sql() -> Case:
    """``size_band`` of an account's employees, computed by the database (for 100,000
    accounts at once)."""
    whens = [When(employees__isnull=True, then=Value("unknown"))]
    whens += [When(employees__lt=limit, then=Value(label)) for limit, label in BANDS if limit]
    return Case(*whens, default=Value(BANDS[-1][1]), output_field=CharField())
