"""List fields edited one value per line, each line validated (keys must parse)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lti_1p3_provider.core.gate_values import (
    check_course_key,
    check_identifier,
    check_org,
    check_usage_key,
    rejected,
)
from lti_1p3_provider.core.origins import normalize_origin


class LinesField(forms.CharField):
    """A list of strings shown one per line; blank lines dropped, duplicates merged."""

    def __init__(self, check: Callable[[str], None], what: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "cols": 80}))
        super().__init__(**kwargs)
        self.check, self.what = check, what

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, str) and value.startswith("["):
            try:
                value = json.loads(value)
            except ValueError:
                return value
        return "\n".join(str(v) for v in value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        bad = rejected(lines, self.check)
        if bad:
            raise forms.ValidationError(
                gettext("Not %(what)s: %(values)s")
                % {"what": self.what, "values": ", ".join(bad[:5])}
            )
        return list(dict.fromkeys(lines))


def usage_keys(**kwargs: Any) -> LinesField:
    """Usage keys, one per line (``block-v1:Org+Course+Run+type@problem+block@id``)."""
    return LinesField(check_usage_key, _("a usage key"), **kwargs)


def course_keys(**kwargs: Any) -> LinesField:
    """Course keys, one per line (``course-v1:Org+Course+Run``)."""
    return LinesField(check_course_key, _("a course key"), **kwargs)


def orgs(**kwargs: Any) -> LinesField:
    """Organization short names, one per line."""
    return LinesField(check_org, _("an organization short name"), **kwargs)


def identifiers(**kwargs: Any) -> LinesField:
    """Opaque ids (deployment ids), one per line: visible characters, no spaces."""
    return LinesField(check_identifier, _("an id without spaces"), **kwargs)


def _check_origin(value: str) -> None:
    if normalize_origin(value) is None:
        raise ValueError(value)


def origins(**kwargs: Any) -> LinesField:
    """Site origins, one per line (``https://moodle.example.edu``)."""
    return LinesField(_check_origin, _("an origin (https://host)"), **kwargs)
