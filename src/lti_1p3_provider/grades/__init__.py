"""Grade passback: score receivers, the outbox, the AGS client and Celery tasks."""
