"""The ``keyplan`` command: the project's manage.py.

Every Django management command works through it (``keyplan migrate``,
``keyplan shell``, ``keyplan createsuperuser``) as well as keyplan's own
(``keyplan generate``).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Read the settings before any command runs, so a configuration mistake (a
        # missing key, a malformed variable, an unsupported database) is one sentence
        # naming the variable and the fix, never a traceback.
        settings.SECRET_KEY  # noqa: B018
    except ImproperlyConfigured as error:
        sys.stderr.write(f"keyplan: {error}\n")
        raise SystemExit(2) from None
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
