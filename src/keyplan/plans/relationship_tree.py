"""The relationship map's chart data: a tree grouped by business unit.

The map's account is at the top. Under it, one group per business unit: an account
directly under the map's account, holding everyone at that unit or at any division or
budget centre under it. When the map's account has people of its own as well, they form
a group of their own ("Directly at …"); when no business unit has anyone on the map,
there are no groups and the account's people hang directly under it.

Inside a group each contact sits under their manager when the manager is on the map in
the same group; a contact without a manager on the map, or whose manager is in another
group (a division head reporting to the group CFO), hangs directly under their group,
and their reporting line is still said in the node's ``reports_to``. A reporting chain
that loops (imported data) is cut where it closes.

Large maps (more than ``LARGE_MAP`` people) are drawn with their groups collapsed.
"""

from collections import defaultdict

# More people than this and the map starts with its groups collapsed: at 40 people
# or fewer the whole map is shown at once.
LARGE_MAP = 40


def _group_of(account_id: int, root_id: int, accounts: dict) -> int | None:
    """The business unit of ``account_id``: the account right under the map's account
    on its way up, or the highest one shown when a link is not on the map (the plan
    covers a unit further down). None for the map's account itself."""
    if account_id == root_id:
        return None
    seen = set()
    current = accounts.get(account_id)
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        parent = current.parent_id
        if parent == root_id or parent not in accounts:
            return current.pk
        current = accounts[parent]
    return account_id


def _people(count: int) -> str:
    return f"{count} {'person' if count == 1 else 'people'}"


def build_tree(root_account, contacts, accounts: dict, paired: dict, urls: dict):
    """``(tree, edges)``: the chart's nested nodes and the reporting lines drawn.

    ``accounts`` are the accounts shown (pk → Account), ``paired`` the names of our
    executives paired with a contact (pk → text), ``urls`` each contact's edit link."""
    by_pk = {c.pk: c for c in contacts}
    group = {c.pk: _group_of(c.account_id, root_account.pk, accounts) for c in contacts}
    children: dict = defaultdict(list)
    for c in contacts:
        manager = c.reports_to_id
        if manager in by_pk and manager != c.pk and group[manager] == group[c.pk]:
            children[manager].append(c)
    under_manager = {child.pk for kids in children.values() for child in kids}
    placed: set[int] = set()
    edges: list = []

    def node(c) -> dict:
        placed.add(c.pk)
        kids = []
        for child in children.get(c.pk, []):
            if child.pk not in placed:
                edges.append({"source": c.pk, "target": child.pk})
                kids.append(node(child))
        manager = c.reports_to if c.reports_to_id and c.reports_to_id != c.pk else None
        return {
            "name": c.name,
            "id": c.pk,
            "title": c.title,
            "account": c.account.name,
            "reports_to": manager.name if manager else "",
            "role": c.decision_role,
            "role_label": c.get_decision_role_display() if c.decision_role else "",
            "attitude": c.attitude,
            "attitude_label": c.get_attitude_display() if c.attitude else "",
            "strength": c.relationship_strength,
            "strength_label": c.get_relationship_strength_display(),
            "owner": str(c.relationship_owner) if c.relationship_owner_id else "",
            "paired_with": paired.get(c.pk, ""),
            "url": urls.get(c.pk, ""),
            "children": kids,
        }

    members: dict = defaultdict(list)
    for c in contacts:
        members[group[c.pk]].append(c)

    def people_of(key) -> list:
        """The group's contacts as trees: those on top of a line first, then whoever
        is left sitting in a loop of reporting lines (cut at them)."""
        out = []
        for c in members[key]:
            if c.pk not in under_manager:
                out.append(node(c))
        for c in members[key]:
            if c.pk not in placed:
                out.append(node(c))
        return out

    units = sorted(
        (accounts[key] for key in members if key is not None), key=lambda a: (a.name, a.pk)
    )
    root = {
        "name": root_account.name,
        "id": f"account-{root_account.pk}",
        "is_account": True,
        "count": len(contacts),
        "people": _people(len(contacts)),
        "children": [],
    }
    if not units:
        root["children"] = people_of(None)
        return root, edges
    if members.get(None):
        own = members[None]
        root["children"].append(
            {
                "name": f"Directly at {root_account.name}",
                "id": f"group-{root_account.pk}",
                "is_account": True,
                "is_group": True,
                "count": len(own),
                "people": _people(len(own)),
                "children": people_of(None),
            }
        )
    for unit in units:
        root["children"].append(
            {
                "name": unit.name,
                "id": f"account-{unit.pk}",
                "is_account": True,
                "is_group": True,
                "count": len(members[unit.pk]),
                "people": _people(len(members[unit.pk])),
                "children": people_of(unit.pk),
            }
        )
    return root, edges
