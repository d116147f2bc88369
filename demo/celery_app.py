"""The demo site's Celery app (the LMS has its own; the provider only uses shared_task)."""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

# The file-system broker with whole-message writes (demo/broker.py): CELERY_BROKER_URL "demofs://".
TRANSPORT_ALIASES.setdefault("demofs", "demo.broker:Transport")

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")

app = Celery("demo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(["lti_1p3_provider"])
