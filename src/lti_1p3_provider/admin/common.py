"""Helpers shared by the admin modules."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


@admin.display(description=_("Registration"), ordering="tool__title")
def registration(obj: Any) -> str:
    """The registration's title (pylti1p3's LtiTool has no useful __str__), or the LTI 1.1
    consumer's."""
    if obj.tool is None:
        consumer = obj.consumer
        return f"{consumer.title} (LTI 1.1)" if consumer else "-"
    return f"{obj.tool.title} ({obj.tool.client_id})"


@admin.display(description=_("Content"), ordering="usage_key")
def content(obj: Any) -> str:
    """The block, short (its type and id); the whole usage key on hover."""
    key = obj.usage_key
    return format_html(
        '<span title="{}">{}: {}</span>', key, getattr(key, "block_type", ""), key.block_id
    )


def site_base_url(request: HttpRequest) -> str:
    """This site's root URL as seen by the admin's browser."""
    return request.build_absolute_uri("/").rstrip("/")
