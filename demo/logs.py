"""Log formatting for the demo: UTC timestamps, as the database and the LMS keep time."""

import logging
import time


def _utc(seconds: float | None) -> time.struct_time:
    return time.gmtime(seconds)


class UTCFormatter(logging.Formatter):
    """ISO 8601 UTC times (``2026-11-23T21:16:45Z``), whatever the machine's time zone."""

    converter = staticmethod(_utc)  # not bound: Formatter calls self.converter(record.created)
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
