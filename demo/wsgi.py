"""The demo site's WSGI application (gunicorn serves it; static files are served by Django)."""

import os

from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")

application = get_wsgi_application()
if settings.DEBUG:
    # The admin's CSS and JS, without a separate web server (a demo convenience).
    application = StaticFilesHandler(application)
