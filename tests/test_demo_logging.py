"""The demo logs each passback line once, with UTC times, even inside a Celery worker."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = """
import logging, logging.config
from demo import settings
logging.config.dictConfig(settings.LOGGING)
logging.getLogger().addHandler(logging.StreamHandler())  # what Celery's worker does to root
logging.getLogger("lti_1p3_provider.grades.delivery").info("LTI passback 7: attempt 1 failed")
"""


def test_one_line_per_message_with_a_utc_time():
    env = {**os.environ, "TZ": "America/Chicago", "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    lines = [line for line in result.stderr.splitlines() if "attempt 1 failed" in line]
    assert len(lines) == 1, result.stderr
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO lti_1p3_provider", lines[0])
