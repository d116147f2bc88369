"""A cache every demo process shares (web workers and the Celery worker): files on disk.

Django's FileBasedCache writes atomically (temp file and rename) but its ``add`` is "check,
then set", so two processes could both claim a launch nonce. Here ``add`` creates the entry
with ``os.link``, which fails when the name exists: exactly one process wins. A real LMS uses
Redis or memcached, whose ``add`` is atomic too.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache


class SharedFileCache(FileBasedCache):
    """FileBasedCache with an ``add`` that is atomic across processes."""

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> bool:
        self._createdir()
        name = self._key_to_file(key, version)
        fd, staged = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as handle:
                self._write_content(handle, timeout, value)
            for _ in range(2):
                try:
                    os.link(staged, name)  # atomic: fails if the entry exists
                    return True
                except FileExistsError:
                    if not self._expired(name):
                        return False
                    # An expired entry: clear it and try once more. Two processes racing here
                    # over the same expired key may both win; nonces are never reused, and a
                    # doubled token lock only costs one extra token request.
                    try:
                        os.remove(name)
                    except FileNotFoundError:
                        pass
            return False
        finally:
            os.remove(staged)

    def _expired(self, name: str) -> bool:
        try:
            with open(name, "rb") as handle:
                return self._is_expired(handle)
        except FileNotFoundError:
            return True
