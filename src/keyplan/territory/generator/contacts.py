"""The people at each account and our touchpoints with them.

Contacts come in reporting lines per function (IT Manager -> IT Director -> VP IT -> CIO
-> CEO), all inside one account; decision roles follow seniority; we know few people
well (most relationships are none or weak); a few people have left the company.
Interactions are meetings, calls, emails and events between an account's contacts and
our people, some executive-to-executive (one of our executives with their C-level).
"""

import datetime
import math
import random
import unicodedata

from keyplan.territory.generator.customers import ENTERPRISE_WEIGHT
from keyplan.territory.generator.organisation import Organisation
from keyplan.territory.generator.records import AccountRec, ContactRec, InteractionRec
from keyplan.territory.generator.vocabulary import (
    COUNTRIES,
    FIRST_NAMES,
    FUNCTIONS,
    INTERACTION_SUBJECTS,
    LAST_NAMES,
)

_CALLING_CODE = {country: code for country, _region, _share, code in COUNTRIES}
_FUNCTION_NAMES = list(FUNCTIONS)
STRENGTHS = ("none", "weak", "medium", "strong")
INTERACTION_KINDS = ("meeting", "call", "email", "event")
INTERACTION_WEIGHTS = (35, 30, 25, 10)
HISTORY_DAYS = 540  # interactions reach back ~18 months


def _ascii(text: str) -> str:
    """José Núñez -> jose.nunez: mailbox names are ASCII."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


class PeopleMaker:
    def __init__(self, r: random.Random, org: Organisation):
        self.r = r
        self.org = org
        self.contact_n = 0
        self.interaction_n = 0
        self._domain = ""
        self._mailboxes: set[str] = set()

    # -- contacts ------------------------------------------------------------------------
    def contacts(self, account: AccountRec, weight: float) -> list[ContactRec]:
        r = self.r
        domain = account.website.split("www.", 1)[-1]
        if domain != self._domain:  # a new family: its accounts share one mail domain
            self._domain, self._mailboxes = domain, set()
        budget = 2 + min(26, int(math.log1p(weight) * 5 + account.employees**0.25 / 2))
        if account.depth > 0:
            budget = max(1, budget // 3)
        contacts: list[ContactRec] = []
        head = None
        if account.depth == 0:
            head = self._person(account, weight, "Chief Executive Officer", "Executive", "c_level")
            contacts.append(head)
        for function in r.sample(_FUNCTION_NAMES, min(len(FUNCTIONS), max(1, budget // 3))):
            c_title, vp_title, director_title, manager_title, individual_titles = FUNCTIONS[
                function
            ]
            chain = [(c_title, "c_level")] if account.depth == 0 else []
            if account.depth > 0 or r.random() < 0.5:
                chain.append((vp_title, "vp"))
            chain += [(director_title, "director"), (manager_title, "manager")]
            boss = head.n if head else None
            for title, seniority in chain:
                if len(contacts) >= budget:
                    break
                person = self._person(account, weight, title, function, seniority, boss)
                contacts.append(person)
                boss = person.n
            for _ in range(r.randint(0, 2)):
                if len(contacts) >= budget:
                    break
                title = r.choice(individual_titles)
                contacts.append(self._person(account, weight, title, function, "individual", boss))
        return contacts

    def _person(self, account, weight, title, function, seniority, reports_to=None) -> ContactRec:
        r = self.r
        self.contact_n += 1
        first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
        if weight >= ENTERPRISE_WEIGHT:
            strength = r.choices(STRENGTHS, weights=(36, 30, 22, 12))[0]
        else:
            strength = r.choices(STRENGTHS, weights=(50, 30, 14, 6))[0]
        if seniority in ("c_level", "vp"):
            role = r.choices(("decision_maker", "influencer", "blocker"), weights=(70, 22, 8))[0]
        elif seniority == "director":
            role = r.choices(
                ("influencer", "champion", "decision_maker", "blocker"), weights=(45, 30, 15, 10)
            )[0]
        elif seniority == "manager":
            role = r.choices(("coach", "influencer", "user", "champion"), weights=(30, 30, 30, 10))[
                0
            ]
        else:
            role = r.choices(("user", "coach", ""), weights=(70, 10, 20))[0]
        attitude = r.choices(("supporter", "neutral", "detractor", ""), weights=(28, 45, 12, 15))[0]
        owner = None
        if strength != "none":
            # Our executives hold some of the C-level relationships; the rep holds the rest.
            senior = seniority == "c_level" and r.random() < 0.4
            owner = r.choice(self.org.executives) if senior else account.owner
        local = _ascii(f"{first}.{last}".lower())
        mailbox, k = local, 1
        while mailbox in self._mailboxes:
            k += 1
            mailbox = f"{local}{k}"
        self._mailboxes.add(mailbox)
        phone = (
            f"{_CALLING_CODE[account.country]} {r.randint(200, 999)} "
            f"{r.randint(100, 999)} {r.randint(1000, 9999)}"
        )
        return ContactRec(
            n=self.contact_n,
            account=account.n,
            first_name=first,
            last_name=last,
            title=title,
            function=function,
            seniority=seniority,
            reports_to=reports_to,
            email=f"{mailbox}@{self._domain}",
            phone=phone,
            is_active=r.random() > 0.06,
            decision_role=role,
            attitude=attitude,
            strength=strength,
            relationship_owner=owner,
        )

    # -- interactions ----------------------------------------------------------------------
    def interactions(
        self,
        account: AccountRec,
        weight: float,
        contacts: list[ContactRec],
        *,
        sponsor: int | None,
        last_day: datetime.date,
    ) -> list[InteractionRec]:
        r = self.r
        active = [c for c in contacts if c.is_active]
        if not active:
            return []
        chiefs = [c for c in active if c.seniority == "c_level"]
        executive_share = 0.2 if sponsor else 0.05
        records = []
        for _ in range(min(24, int(math.log1p(weight) * 4) + r.randint(0, 3))):
            self.interaction_n += 1
            day = last_day - datetime.timedelta(days=r.randint(0, HISTORY_DAYS))
            if chiefs and r.random() < executive_share:
                # Leader to leader: one of our executives with one of their C-level.
                people = [r.choice(chiefs)]
                user = sponsor or r.choice(self.org.executives)
                kind = r.choice(("meeting", "meeting", "event", "call"))
                subject = r.choice(("Executive briefing", "Executive dinner", "Strategy review"))
                executive = True
            else:
                people = r.sample(active, min(len(active), r.choice((1, 1, 1, 2, 3))))
                user = account.owner
                kind = r.choices(INTERACTION_KINDS, weights=INTERACTION_WEIGHTS)[0]
                subject = r.choice(INTERACTION_SUBJECTS)
                executive = False
            records.append(
                InteractionRec(
                    n=self.interaction_n,
                    account=account.n,
                    date=day,
                    kind=kind,
                    contacts=sorted(p.n for p in people),
                    user=user,
                    executive=executive,
                    subject=subject,
                )
            )
        return records
