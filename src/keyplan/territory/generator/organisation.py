"""Our sales organisation: admin, sales ops, two executives, managers with teams, reps.

The demo logins always exist (admin, ops, manager, manager2, rep..rep6, exec, exec2);
bigger territories get more reps (one per ~200 accounts) in teams of ~6 per manager.
Teams split the territory by segment (Enterprise for the big accounts, Commercial for
the rest) and, once there are enough managers, by sales region too, so a rep owns the
accounts of one segment in one region, as in a real territory design.
"""

import math
import random
from dataclasses import dataclass, field

from keyplan.territory.generator.records import UserRec
from keyplan.territory.generator.vocabulary import (
    COUNTRIES,
    FIRST_NAMES,
    LAST_NAMES,
    SALES_REGIONS,
)

ACCOUNTS_PER_REP = 200
REPS_PER_MANAGER = 6
SEGMENTS = ("Enterprise", "Commercial")
# Share of the work each segment takes (enterprise accounts are fewer but need more).
SEGMENT_LOAD = {"Enterprise": 0.4, "Commercial": 0.6}


@dataclass
class SalesTeam:
    name: str
    segment: str
    region: str | None  # None: the team covers every region
    manager: int = 0
    reps: list[int] = field(default_factory=list)


@dataclass
class Organisation:
    users: list[UserRec]
    teams: list[SalesTeam]
    executives: list[int]
    reps: list[int]
    _by_patch: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def owner_for(self, r: random.Random, *, region: str, segment: str) -> int:
        """A rep of the team that covers this region and segment."""
        reps = self._by_patch.get((region, segment)) or self._by_patch[(None, segment)]
        return r.choice(reps)


def _region_load() -> dict[str, float]:
    load = dict.fromkeys(SALES_REGIONS, 0.0)
    for _country, region, share, _code in COUNTRIES:
        load[region] += share
    total = sum(load.values())
    return {region: share / total for region, share in load.items()}


def _largest_remainder(total: int, shares: list[float], minimum: int) -> list[int]:
    """Split ``total`` in proportion to ``shares``, at least ``minimum`` each."""
    spare = total - minimum * len(shares)
    whole = sum(shares)
    exact = [spare * share / whole for share in shares]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: spare - sum(counts)]:
        counts[i] += 1
    return [minimum + c for c in counts]


def _teams(n_managers: int) -> list[tuple[SalesTeam, float]]:
    """The teams and the share of the work each takes."""
    if n_managers < 2 * len(SALES_REGIONS):
        per_segment = _largest_remainder(n_managers, list(SEGMENT_LOAD.values()), 1)
        teams = []
        for segment, count in zip(SEGMENTS, per_segment, strict=True):
            for k in range(count):
                name = segment + (f" {k + 1}" if k else "")
                teams.append((SalesTeam(name, segment, None), SEGMENT_LOAD[segment] / count))
        return teams
    # Every region has a team per segment; more teams where the work is.
    region_load = _region_load()
    patches = [(region, segment) for region in SALES_REGIONS for segment in SEGMENTS]
    load = [region_load[region] * SEGMENT_LOAD[segment] for region, segment in patches]
    teams = []
    for (region, segment), count, share in zip(
        patches, _largest_remainder(n_managers, load, 1), load, strict=True
    ):
        for k in range(count):
            name = f"{region} {segment}" + (f" {k + 1}" if k else "")
            teams.append((SalesTeam(name, segment, region), share / count))
    return teams


def sales_organisation(*, accounts: int, r: random.Random) -> Organisation:
    n_reps = max(6, round(accounts / ACCOUNTS_PER_REP))
    n_managers = max(2, math.ceil(n_reps / REPS_PER_MANAGER))
    users: list[UserRec] = []

    def add(username, role, title, *, team=None, manager=None, hours=20) -> int:
        first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
        n = len(users) + 1
        users.append(UserRec(n, username, first, last, role, title, team, manager, hours))
        return n

    add("admin", "admin", "System administrator", hours=0)
    cro = add("exec", "executive", "Chief Revenue Officer", hours=6)
    vp = add("exec2", "executive", "VP Sales", manager=cro, hours=8)
    add("ops", "sales_ops", "Sales operations lead", manager=cro, hours=10)
    teams_and_load = _teams(n_managers)
    teams = [team for team, _load in teams_and_load]
    for i, team in enumerate(teams):
        username = "manager" if i == 0 else f"manager{i + 1}"
        team.manager = add(
            username, "manager", f"Sales manager, {team.name}", team=team.name, manager=vp
        )
    reps = []
    sizes = _largest_remainder(n_reps, [load for _team, load in teams_and_load], 1)
    for team, size in zip(teams, sizes, strict=True):
        title = "Strategic account manager" if team.segment == "Enterprise" else "Account executive"
        for _ in range(size):
            username = "rep" if not reps else f"rep{len(reps) + 1}"
            n = add(username, "rep", title, team=team.name, manager=team.manager, hours=24)
            team.reps.append(n)
            reps.append(n)
    org = Organisation(users, teams, [cro, vp], reps)
    for team in teams:
        org._by_patch.setdefault((team.region, team.segment), []).extend(team.reps)
    return org
