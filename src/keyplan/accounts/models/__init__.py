from keyplan.accounts.models.account import Account, AccountLineage, AccountTeamMember
from keyplan.accounts.models.contact import Contact
from keyplan.accounts.models.interaction import Interaction

__all__ = ["Account", "AccountLineage", "AccountTeamMember", "Contact", "Interaction"]
