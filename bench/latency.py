"""A platform that is not on loopback: the built-in LMS's AGS answers wait
``BENCH_PLATFORM_DELAY_MS`` (the passback bench's second run), as a real platform's would."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class PlatformLatency:
    """Hold each AGS request (token, line items, scores) for the configured delay."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.delay = float(os.environ.get("BENCH_PLATFORM_DELAY_MS", "0")) / 1000

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.delay and request.path.startswith(("/lms/ags/", "/lms/token")):
            time.sleep(self.delay)
        return self.get_response(request)
