from django.db import models


class AuditAction(models.TextChoices):
    DELETED = "deleted", "Deleted"
    RESTORED = "restored", "Restored"
    PURGED = "purged", "Purged from the recycle bin"
    IMPORTED = "imported", "Imported"
    USER_CHANGED = "user_changed", "User changed"
    PASSWORD_SET = "password_set", "Password set"
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKED_OUT = "locked_out", "Locked out"
    API_TOKEN_MADE = "api_token_made", "API token made"
    API_TOKEN_REVOKED = "api_token_revoked", "API token revoked"
