"""Frame resizing: launched content tells the platform's page its height (``lti.frameResize``).

The LMS renders the block; the provider adds one script tag to that page, which posts the
content's height to the origins that may frame the launch (its grant's), and nowhere else.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html

from lti_1p3_provider.conf import provider_settings


def script_tag(origins: tuple[str, ...]) -> str:
    """The script tag that reports the page's height to ``origins``."""
    return format_html(
        '<script src="{}" data-frame-origins="{}" defer></script>',
        reverse("lti_1p3_provider:frame_resize_js"),
        json.dumps(list(origins)),
    )


def resize_script(origins: tuple[str, ...]) -> str:
    """``script_tag`` for a provider page, or "" when resizing is off or nothing frames it."""
    if not provider_settings.LTI_1P3_PROVIDER_FRAME_RESIZE or not origins:
        return ""
    return script_tag(origins)


def add_resize_script(response: HttpResponse, origins: tuple[str, ...]) -> HttpResponse:
    """Add the script before ``</body>`` of a rendered HTML page (other answers unchanged)."""
    script = resize_script(origins)
    if (
        not script
        or response.streaming
        or response.status_code != 200
        or not response.get("Content-Type", "").startswith("text/html")
    ):
        return response
    if not getattr(response, "is_rendered", True):
        response.render()  # a TemplateResponse: its content exists once rendered
    tag = script.encode(response.charset or "utf-8")
    body = response.content
    end = body.rfind(b"</body>")
    response.content = body[:end] + tag + body[end:] if end >= 0 else body + tag
    if response.has_header("Content-Length"):
        response["Content-Length"] = str(len(response.content))
    return response
