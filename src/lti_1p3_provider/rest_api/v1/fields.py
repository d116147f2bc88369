"""Serializer fields for the values a gate and a registration hold, checked like the admin's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _
from opaque_keys import InvalidKeyError
from rest_framework import serializers

from lti_1p3_provider.core.gate_values import (
    check_course_key,
    check_identifier,
    check_org,
    check_usage_key,
)

MAX_ITEMS = 1000


class CheckedList(serializers.ListField):
    """A list of strings, each checked; duplicates merged in order."""

    def __init__(self, check: Callable[[str], None], what: Any, **kwargs: Any) -> None:
        kwargs.setdefault("child", serializers.CharField(max_length=255))
        kwargs.setdefault("max_length", MAX_ITEMS)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.check, self.what = check, what

    def to_internal_value(self, data: Any) -> list[str]:
        values = [v.strip() for v in super().to_internal_value(data) if v.strip()]
        bad = []
        for value in values:
            try:
                self.check(value)
            except (InvalidKeyError, ValueError):
                bad.append(value)
        if bad:
            raise serializers.ValidationError(
                _("Not %(what)s: %(values)s") % {"what": self.what, "values": ", ".join(bad[:5])}
            )
        return list(dict.fromkeys(values))


def usage_keys(**kwargs: Any) -> CheckedList:
    """Usage keys (``block-v1:…``)."""
    return CheckedList(check_usage_key, _("a usage key"), **kwargs)


def course_keys(**kwargs: Any) -> CheckedList:
    """Course keys (``course-v1:…``)."""
    return CheckedList(check_course_key, _("a course key"), **kwargs)


def orgs(**kwargs: Any) -> CheckedList:
    """Organization short names."""
    return CheckedList(check_org, _("an organization short name"), **kwargs)


def identifiers(**kwargs: Any) -> CheckedList:
    """Platform ids such as deployment ids."""
    return CheckedList(check_identifier, _("an id without spaces"), **kwargs)
