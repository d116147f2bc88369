"""Template helpers for the sandbox pages."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[str, Any], key: object) -> Any:
    """Look a key (stringified) up in a dict."""
    return mapping.get(str(key))
