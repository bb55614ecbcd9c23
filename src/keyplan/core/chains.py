"""Chains of records that point at a parent of their own kind (a contact's manager, a
user's manager): one walk that says whether a new link would close a loop."""

MAX_CHAIN = 50


def closes_loop(record_pk, new_parent, parent_attr: str) -> bool:
    """Would pointing record ``record_pk`` at ``new_parent`` make a cycle? Walks up from
    ``new_parent`` through ``parent_attr``; a chain longer than 50 is treated as a loop."""
    if record_pk is None or new_parent is None:
        return False
    seen = {record_pk}
    node = new_parent
    for _ in range(MAX_CHAIN):
        if node is None:
            return False
        if node.pk in seen:
            return True
        seen.add(node.pk)
        node = getattr(node, parent_attr)
    return True
