"""What every destination of a generated territory implements. The generator calls
``begin``, then ``users`` and ``products`` once, then, family by family, ``accounts`` and
each account's ``team_members``, ``contacts``, ``interactions``, ``opportunities`` and
``sale_lines``; then ``finish`` (or ``abort`` if generation failed)."""

from collections.abc import Sequence

from keyplan.territory.generator.records import (
    AccountRec,
    ContactRec,
    InteractionRec,
    OpportunityRec,
    ProductRec,
    SaleRec,
    TeamMemberRec,
    UserRec,
)


class Writer:
    def begin(self) -> None:
        pass

    def users(self, users: Sequence[UserRec]) -> None:
        pass

    def products(self, products: Sequence[ProductRec]) -> None:
        pass

    def accounts(self, accounts: Sequence[AccountRec]) -> None:
        pass

    def team_members(self, members: Sequence[TeamMemberRec]) -> None:
        pass

    def contacts(self, contacts: Sequence[ContactRec]) -> None:
        pass

    def interactions(self, interactions: Sequence[InteractionRec]) -> None:
        pass

    def opportunities(self, opportunities: Sequence[OpportunityRec]) -> None:
        pass

    def sale_lines(self, lines: Sequence[SaleRec]) -> None:
        pass

    def finish(self) -> None:
        pass

    def abort(self) -> None:
        pass
