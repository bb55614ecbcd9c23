"""Customer accounts: standalone companies and groups with a hierarchy (legal entity,
business units, divisions, budget centres), sized by a Pareto weight so that a few
accounts carry most of the revenue, and each with its account team."""

import math
import random
import re
from decimal import Decimal

from keyplan.territory.generator.organisation import Organisation
from keyplan.territory.generator.records import AccountRec, TeamMemberRec
from keyplan.territory.generator.vocabulary import (
    AREA_NAMES,
    COUNTRIES,
    INDUSTRIES,
    INDUSTRY_WEIGHTS,
    NAME_PARTS,
    UNIT_NAMES,
)

CENT = Decimal("0.01")
KINDS = ("legal_entity", "business_unit", "division", "budget_centre")
# Account weights (what an account spends with us, relative) are lognormal: with this
# spread ~20% of accounts make ~80% of the revenue, like the territories in METHOD.md,
# at any size (a Pareto tail would let a handful of giants take half of a large
# territory). Median weight 1.2: about 30% of accounts are enterprise accounts.
WEIGHT_MEDIAN = 1.2
WEIGHT_SPREAD = 1.7
ENTERPRISE_WEIGHT = 3.0  # ~30% of accounts, most of the revenue
MAX_EMPLOYEES = 400_000
_INDUSTRY_NAMES = list(INDUSTRIES)


class AccountMaker:
    def __init__(self, r: random.Random, org: Organisation):
        self.r = r
        self.org = org
        self.n = 0
        self.names: set[str] = set()

    def family(self, room: int) -> list[tuple[AccountRec, float]]:
        """One top-level account and, for a group, its hierarchy: (account, weight)
        pairs, parents before children, at most ``room`` accounts."""
        r = self.r
        industry = r.choices(_INDUSTRY_NAMES, weights=INDUSTRY_WEIGHTS)[0]
        country, region, _share, _code = r.choices(COUNTRIES, weights=[c[2] for c in COUNTRIES])[0]
        weight = r.lognormvariate(math.log(WEIGHT_MEDIAN), WEIGHT_SPREAD)
        segment = "Enterprise" if weight >= ENTERPRISE_WEIGHT else "Commercial"
        employees = self._employees(weight)
        name = self._unique_name(industry, country)
        top = self._account(
            name=name,
            kind=KINDS[0],
            parent=None,
            industry=industry,
            country=country,
            region=region,
            employees=employees,
            website=f"https://www.{re.sub(r'[^a-z0-9]', '', name.lower())}.example",
            owner=self.org.owner_for(r, region=region, segment=segment),
        )
        family = [(top, weight)]
        # Big companies are more often groups; most accounts stand alone.
        is_group = r.random() < (0.3 if segment == "Enterprise" else 0.04)
        if is_group and room > 1:
            self._children(top, weight, segment, room, family)
        return family

    def _account(self, **fields) -> AccountRec:
        self.n += 1
        parent = fields["parent"]
        return AccountRec(
            n=self.n,
            depth=0 if parent is None else parent.depth + 1,
            annual_revenue=self._revenue(fields["industry"], fields["employees"]),
            **{**fields, "parent": parent.n if parent else None},
        )

    def _employees(self, weight: float) -> int:
        # Size grows with what the account spends with us, with wide spread.
        employees = self.r.lognormvariate(5.8, 0.6) * weight**0.8
        return max(15, min(MAX_EMPLOYEES, int(employees)))

    def _revenue(self, industry: str, employees: int) -> Decimal:
        per_employee = INDUSTRIES[industry][1] * 1000 * self.r.uniform(0.7, 1.3)
        return Decimal(int(employees * per_employee)).quantize(CENT)

    def _unique_name(self, industry: str, country: str) -> str:
        r, suffixes = self.r, INDUSTRIES[industry][0]
        for _ in range(4):
            first, second = r.sample(NAME_PARTS, 2)
            name = f"{first} {second} {r.choice(suffixes)}"
            if name not in self.names:
                break
        if name in self.names:
            name = f"{name} {country}"
        base, k = name, 1
        while name in self.names:
            k += 1
            name = f"{base} {k}"
        self.names.add(name)
        return name

    def _children(self, top, weight, segment, room, family) -> None:
        r = self.r

        def child(parent: AccountRec, label: str) -> AccountRec | None:
            if len(family) >= room:
                return None
            if r.random() < 0.7:
                country, region = top.country, top.region
            else:
                country, region, _share, _code = r.choice(COUNTRIES)
            employees = max(10, int(parent.employees * r.uniform(0.1, 0.4)))
            owner = (
                parent.owner
                if r.random() < 0.85
                else self.org.owner_for(r, region=region, segment=segment)
            )
            rec = self._account(
                name=f"{top.name} {label}",
                kind=KINDS[parent.depth + 1],
                parent=parent,
                industry=top.industry,
                country=country,
                region=region,
                employees=employees,
                website=top.website,
                owner=owner,
            )
            family.append((rec, weight * r.uniform(0.1, 0.6)))
            return rec

        # The bigger the group, the more units, divisions and budget centres it has.
        big = (weight >= 10) + (weight >= 50)
        for unit in r.sample(UNIT_NAMES, r.randint(1, 2 + big)):
            business_unit = child(top, unit)
            if business_unit is None:
                return
            for area in r.sample(AREA_NAMES, r.randint(0, 1 + big)):
                division = child(business_unit, f"{unit} {area}")
                if division is None:
                    return
                for b in range(r.randint(0, 1 + (weight >= 50))):
                    if child(division, f"{unit} {area} Budget Centre {b + 1}") is None:
                        return

    def team(self, account: AccountRec, weight: float) -> list[TeamMemberRec]:
        """The owner as account manager; big top-level accounts also get an executive
        sponsor, a solution engineer and, the biggest, customer success."""
        r, org = self.r, self.org
        members = [TeamMemberRec(account.n, account.owner, "account_manager")]
        if account.depth == 0 and weight >= ENTERPRISE_WEIGHT:
            members.append(TeamMemberRec(account.n, r.choice(org.executives), "executive_sponsor"))
            engineer = r.choice(org.reps)
            if engineer != account.owner:
                members.append(TeamMemberRec(account.n, engineer, "solution_engineer"))
            if weight >= 3 * ENTERPRISE_WEIGHT:
                success = r.choice(org.reps)
                if success not in (account.owner, engineer):
                    members.append(TeamMemberRec(account.n, success, "customer_success"))
        return members
