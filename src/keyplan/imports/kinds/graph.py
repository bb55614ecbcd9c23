"""Cycle detection for self-references inside an import (parent accounts, reporting
lines, managers), over the file's rows and what the database already holds."""


def find_cycles(edges: dict, existing: dict) -> set:
    """``edges``: node → parent from the file; ``existing``: node → parent in the database
    (file edges win). Returns the nodes that sit on a cycle."""
    on_cycle: set = set()
    state: dict = {}

    def parent_of(node):
        if node in edges:
            return edges[node]
        return existing.get(node)

    for start in edges:
        if start in state:
            continue
        path = []
        index = {}
        node = start
        while node is not None and node not in state:
            state[node] = "visiting"
            index[node] = len(path)
            path.append(node)
            node = parent_of(node)
        if node is not None and state.get(node) == "visiting" and node in index:
            on_cycle.update(path[index[node] :])
        for n in path:
            state[n] = "done"
    return on_cycle
