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
    rejected,
)
from lti_1p3_provider.organizations.api import scope_for

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
        bad = rejected(values, self.check)
        if bad:
            raise serializers.ValidationError(
                _("Not %(what)s: %(values)s") % {"what": self.what, "values": ", ".join(bad[:5])}
            )
        return list(dict.fromkeys(values))


class OrganizationField(serializers.CharField):
    """The organization a row belongs to: one the requesting user manages ("" is the site's,
    for global staff only)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 255)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("validators", [org_validator_or_blank])
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        org = super().to_internal_value(data)
        if not scope_for(self.context["request"].user).can_manage(org):
            raise serializers.ValidationError(_("You do not manage this organization."))
        return org


def check_managed(serializer: serializers.Serializer, org: str) -> None:
    """A field error unless the requesting user manages ``org`` (a default "" included)."""
    if not scope_for(serializer.context["request"].user).can_manage(org):
        raise serializers.ValidationError({"org": _("Give one of the organizations you manage.")})


def org_validator_or_blank(value: str) -> None:
    """An organization short name, or empty."""
    if value:
        try:
            check_org(value)
        except InvalidKeyError as exc:
            raise serializers.ValidationError(_("An organization short name.")) from exc


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
