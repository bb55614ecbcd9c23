"""WSGI entry point: ``gunicorn keyplan.wsgi`` or any WSGI server."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyplan.settings")
application = get_wsgi_application()
