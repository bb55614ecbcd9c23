"""The ``keyplan`` command: the project's manage.py.

Every Django management command works through it (``keyplan migrate``,
``keyplan shell``, ``keyplan createsuperuser``) as well as keyplan's own
(``keyplan generate``).
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
