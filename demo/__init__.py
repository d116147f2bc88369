"""The demo site: the provider plus a built-in LTI 1.3 platform."""

from demo.celery_app import app as celery_app

__all__ = ["celery_app"]
