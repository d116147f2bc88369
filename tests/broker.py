"""What the test process put on its Celery broker (``memory://``), read off as a worker would."""

from __future__ import annotations

from collections import Counter


def take_queued_tasks() -> Counter[str]:
    """Remove every message from the default queue; how many of each task name there were."""
    from celery import current_app

    names: Counter[str] = Counter()
    with current_app.connection_for_read() as connection:
        queue = connection.SimpleQueue(current_app.conf.task_default_queue)
        try:
            while True:
                try:
                    message = queue.get(block=False)
                except queue.Empty:
                    break
                names[message.headers["task"]] += 1
                message.ack()
        finally:
            queue.close()
    return names
