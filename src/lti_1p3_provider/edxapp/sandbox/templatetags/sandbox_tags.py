"""Template helpers for the sandbox pages."""

from dataclasses import dataclass
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: object) -> Any:
    """Look a key (stringified) up in a dict."""
    return mapping.get(str(key))


@dataclass(frozen=True)
class SequencePosition:
    """A subsection's published units and which one is shown, as the LMS's sequence nav."""

    units: list[Any]
    current: Any
    previous: Any
    next: Any


@register.simple_tag
def sequence_units(sequence: Any, request: Any) -> SequencePosition:
    """The unit named by ``?unit=`` (else the first) with its neighbours."""
    units = [child for child in sequence.children if child.published]
    wanted = request.GET.get("unit", "") if request is not None else ""
    index = next((i for i, u in enumerate(units) if u.usage_key.block_id == wanted), 0)
    if not units:
        return SequencePosition(units, None, None, None)
    return SequencePosition(
        units,
        units[index],
        units[index - 1] if index > 0 else None,
        units[index + 1] if index + 1 < len(units) else None,
    )
