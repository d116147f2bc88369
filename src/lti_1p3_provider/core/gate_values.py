"""Checks for the values a launch gate and a registration hold (admin forms and the API)."""

from __future__ import annotations

import re
from collections.abc import Callable

from opaque_keys import InvalidKeyError
from opaque_keys.edx.keys import CourseKey, UsageKey

from lti_1p3_provider.core.claim_types import PRINTABLE_ID

ORG = re.compile(r"^[A-Za-z0-9_.-]{1,255}$")


def rejected(values: list[str], check: Callable[[str], None]) -> list[str]:
    """The values ``check`` refuses, in order."""
    bad = []
    for value in values:
        try:
            check(value)
        except (InvalidKeyError, ValueError):
            bad.append(value)
    return bad


def check_usage_key(value: str) -> None:
    """InvalidKeyError unless ``value`` parses as a usage key."""
    UsageKey.from_string(value)


def check_course_key(value: str) -> None:
    """InvalidKeyError unless ``value`` parses as a course key."""
    CourseKey.from_string(value)


def check_org(value: str) -> None:
    """InvalidKeyError unless ``value`` is an organization short name."""
    if not ORG.match(value):
        raise InvalidKeyError(str, value)


def check_identifier(value: str) -> None:
    """InvalidKeyError unless ``value`` is a printable platform id (deployment ids)."""
    if not PRINTABLE_ID.match(value):
        raise InvalidKeyError(str, value)
