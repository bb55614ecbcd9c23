"""The fields of a plan's parts that a person edits, named once: the save path
(``services.elements``) accepts them and a version (``versions``) keeps them."""

GOAL_FIELDS = (
    "level",
    "title",
    "organisation",
    "story",
    "customer_aspiration",
    "value_measure",
    "target_value",
    "expectation_now",
    "expectation_next_year",
    "source_contact",
    "source_date",
    "source_note",
)
GOAL_LINKS = ("contacts",)
VALUE_FIELDS = ("metric", "amount", "description")
VENDOR_FIELDS = (
    "relation",
    "name",
    "estimated_spend",
    "estimated_share",
    "strengths",
    "weaknesses",
    "relationships",
)
VENDOR_LINKS = ("product_lines",)
