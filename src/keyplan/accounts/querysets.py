"""Visibility for account data: the account half of keyplan's one rule.

Every page, API endpoint, export and analysis that shows an account, or anything
that belongs to one, asks these querysets. The people half is
``keyplan.people.scope``.
"""

from django.db import models

from keyplan.people.scope import scope_for


def visible_account_ids(user):
    """A subquery of the ids of accounts ``user`` may see, or None for "all of them".

    A rep's anchors are the accounts they own or are on the account team of; they see
    the anchors and every account under them (via the lineage closure table, so the
    hierarchy may be any depth without a recursive query).
    """
    from keyplan.accounts.models import Account, AccountLineage, AccountTeamMember

    scope = scope_for(user)
    if scope.everything:
        return None
    ids = list(scope.user_ids)
    # One list of anchors (a UNION), so the lineage is read through its ancestor index:
    # an OR of the two made PostgreSQL scan the whole closure (65–90 ms a query at
    # 100,000 accounts, against 12 ms).
    owned = Account.objects.filter(owner_id__in=ids).order_by().values("pk")
    on_team = AccountTeamMember.objects.filter(user_id__in=ids).order_by().values("account_id")
    return AccountLineage.objects.filter(ancestor_id__in=owned.union(on_team)).values(
        "descendant_id"
    )


class AccountQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_for(user)
        if scope.everything:
            return self
        if not scope.user_ids:
            return self.none()
        return self.filter(pk__in=visible_account_ids(user))


class AccountDataQuerySet(models.QuerySet):
    """For records that belong to one account (contacts, sale lines, opportunities, ...)."""

    account_field = "account"

    def visible_to(self, user):
        scope = scope_for(user)
        if scope.everything:
            return self
        if not scope.user_ids:
            return self.none()
        return self.filter(**{f"{self.account_field}_id__in": visible_account_ids(user)})
