"""The demo's file-system broker, made safe for a web process and a worker sharing a folder.

kombu's filesystem transport creates a message file and then writes it; a worker listing the
folder in between moves the empty file and dies on "Expecting value" (JSON of nothing). Here a
message is written under a name the reader skips and renamed into place, which is atomic.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic
from typing import Any

from kombu.transport import filesystem
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    """A filesystem channel whose messages appear whole or not at all."""

    # kombu names the second parameter "message" in AbstractChannel, "payload" here: positional.
    def _put(self, queue: Any, payload: Any, **kwargs: Any) -> None:  # type: ignore[override]
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f"_{uuid.uuid4().hex}.part")
        try:
            with open(partial, "wb") as handle:
                handle.write(dumps(payload).encode())
            os.replace(partial, final)
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add {name!r} to the queue folder") from exc


class Transport(filesystem.Transport):
    """``CELERY_BROKER_URL = "demo.broker:Transport://"``."""

    Channel = Channel
