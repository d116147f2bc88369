"""The demo's file-system broker never hands a worker a half-written message.

kombu's own filesystem transport opens the message file before writing it; a worker that lists
the folder in that moment takes an empty file and dies on a JSON error. The reader here runs at
exactly that moment: while the message is being written.
"""

from __future__ import annotations

import builtins
from typing import Any

import pytest
from kombu import Connection
from kombu.transport.virtual.base import Empty

import demo.broker
import demo.celery_app


def test_a_reader_during_the_write_sees_nothing_then_the_whole_message(tmp_path, monkeypatch):
    options = {
        "data_folder_in": str(tmp_path),
        "data_folder_out": str(tmp_path),
        "control_folder": str(tmp_path / "control"),
    }
    seen_during_write: list[Any] = []
    with (
        Connection("demofs://", transport_options=options) as producer,
        Connection("demofs://", transport_options=options) as consumer,
    ):
        reader = consumer.default_channel
        queue = producer.SimpleQueue("passbacks")
        consumer.SimpleQueue("passbacks")

        class Interleaved:
            """A file whose first write lets the worker look at the folder first."""

            def __init__(self, handle: Any) -> None:
                self.handle = handle

            def write(self, data: bytes) -> int:
                try:
                    seen_during_write.append(reader._get("passbacks"))
                except Empty:
                    seen_during_write.append(None)
                return self.handle.write(data)

            def __enter__(self) -> Interleaved:
                return self

            def __exit__(self, *exc: Any) -> None:
                self.handle.close()

        monkeypatch.setattr(
            demo.broker, "open", lambda *a, **k: Interleaved(builtins.open(*a, **k)), raising=False
        )
        queue.put({"passback": 7})
        assert seen_during_write == [None]  # nothing to take while the write is under way
        message = reader._get("passbacks")
    assert message["body"] and not list(tmp_path.glob("*.part"))
    with pytest.raises(Empty):
        reader._get("passbacks")
