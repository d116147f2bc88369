"""Log formatting for the demo: UTC timestamps, as the database and the LMS keep time."""

import logging
import time


class UTCFormatter(logging.Formatter):
    """ISO 8601 UTC times (``2026-11-23T21:16:45Z``), whatever the machine's time zone."""

    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
