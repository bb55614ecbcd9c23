"""Who may change what through the API, beyond seeing it (``visible_to`` decides that)."""

from rest_framework import permissions


class CatalogueChangedBySettingsManagers(permissions.BasePermission):
    """Everyone signed in reads the product catalogue; only sales ops and admins change it."""

    message = "Only administrators and sales operations change the product catalogue."

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.manages_settings)


class SaleLinesChangedBySettingsManagers(permissions.BasePermission):
    """Everyone reads the sale lines of the accounts they see; only sales ops and admins
    (and imports) write them: every analysis trusts them as the facts."""

    message = (
        "Sale lines are the sales facts every analysis relies on: only administrators and "
        "sales operations create, change or delete them (or import them)."
    )

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(request.user and request.user.manages_settings)


def may_reassign_accounts(user) -> bool:
    """Managers and above give an account another owner; a rep cannot hand one away (they
    would lose sight of it), as on the account page."""
    return user.sees_everything or user.role == "manager"


from keyplan.accounts.deletion import may_delete_accounts  # noqa: E402, F401  (one rule)


class CrmExportBySettingsManagers(permissions.BasePermission):
    """Changes back to the CRM are a load into the company's system of record, for the whole
    installation: sales ops and administrators run it, as they run imports."""

    message = (
        "Only administrators and sales operations export keyplan's changes for Salesforce "
        "(they load them into the CRM)."
    )

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.manages_settings)
