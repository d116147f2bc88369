"""The demo site's settings with short timeouts, for the fault suite's web and worker processes.

A passback here retries after 1 s, 2 s, 2 s...; a claim is taken back after 4 s; the sweep runs
every second; an HTTP call to the platform gives up after 2 s.
"""

import os

from demo.settings import *  # noqa: F403

ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
DEBUG = False
LTI_1P3_PROVIDER_ALLOW_LOCAL_ADDRESSES = True  # the platform and its proxy listen on loopback
LTI_1P3_PROVIDER_HTTP_TIMEOUT_SEC = 2
# A scenario may start its worker with a longer backoff (the worker is what schedules retries).
LTI_1P3_PROVIDER_PASSBACK_BACKOFF_BASE_SEC = float(os.environ.get("FAULT_BACKOFF_SEC", 1))
LTI_1P3_PROVIDER_PASSBACK_BACKOFF_CAP_SEC = max(2.0, LTI_1P3_PROVIDER_PASSBACK_BACKOFF_BASE_SEC)
LTI_1P3_PROVIDER_PASSBACK_CLAIM_TIMEOUT_SEC = 4
# Without beat (a scenario's choice), deliveries and worker starts queue the sweep this often.
LTI_1P3_PROVIDER_PASSBACK_SWEEP_SEC = 1
CELERY_BEAT_SCHEDULE = {
    "lti_1p3_provider.sweep_score_passbacks": {
        "task": "lti_1p3_provider.sweep_score_passbacks",
        "schedule": 1.0,
    }
}
