"""Who may frame a page: launched content and error pages only, and only for their platform."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from pylti1p3.contrib.django.lti1p3_tool_config.models import LtiTool

from lti_1p3_provider.core.origins import normalize_origin, url_origin
from lti_1p3_provider.models import policy_for

CSP = "Content-Security-Policy"
# The storage launch page re-posts the platform page's origin under this name (same origin).
PAGE_ORIGIN_FIELD = "platform_page_origin"


def frame_origins(tool: LtiTool, seen: Iterable[str | None] = ()) -> tuple[str, ...]:
    """The registration's origins (issuer, login URL, the operator's extras), plus the origins
    ``seen`` in this launch (the platform's page, its signed return URL).

    Canvas cloud's issuer and login URL are on canvas.instructure.com and sso.canvaslms.com
    while its pages are on each school's host; Blackboard and Schoology are alike.
    """
    found: list[str] = []
    candidates = [tool.issuer or "", tool.auth_login_url or ""]
    candidates += list(policy_for(tool).extra_frame_origins or [])
    candidates += [value or "" for value in seen]
    for value in candidates:
        origin = url_origin(value)
        if origin and origin not in found:
            found.append(origin)
    return tuple(found)


def with_origin(origins: tuple[str, ...], origin: str | None) -> tuple[str, ...]:
    """``origins`` and ``origin`` (when given and not already there)."""
    return (*origins, origin) if origin and origin not in origins else origins


def page_origin(request: HttpRequest) -> str | None:
    """The origin of the other site's page that sent this request (``Origin``, else the
    ``Referer``'s), or None. A browser sets both; only our own pages re-post it as a field."""
    own = f"{request.scheme}://{request.get_host()}"
    value = request.headers.get("Origin", "")
    if value in ("", "null"):
        value = url_origin(request.headers.get("Referer", "")) or ""
    if value == own and request.method == "POST":
        value = request.POST.get(PAGE_ORIGIN_FIELD, "")[:300]
    origin = normalize_origin(value) if value else None
    return None if origin is None or origin == own else origin


def _set_frame_ancestors(response: HttpResponse, sources: str) -> None:
    existing = response.get(CSP, "")
    if "frame-ancestors" in existing:
        # Another layer already chose; replace its rule so ours is the one that applies.
        parts = [p for p in existing.split(";") if "frame-ancestors" not in p and p.strip()]
        existing = ";".join(parts)
    rule = f"frame-ancestors {sources}"
    response[CSP] = f"{existing.strip()}; {rule}" if existing.strip() else rule


def allow_framing(response: HttpResponse, origins: tuple[str, ...] | None) -> HttpResponse:
    """Let the platform's origins (and this site) frame the response.

    ``None`` means the platform is not known (an unknown registration, say): the page is an
    error page without actions, so any site may frame it rather than leave a blank frame.
    """
    response.xframe_options_exempt = True  # type: ignore[attr-defined]
    if "X-Frame-Options" in response:
        del response["X-Frame-Options"]
    sources = "*" if origins is None else " ".join(("'self'", *origins))
    _set_frame_ancestors(response, sources)
    return response


def deny_framing(response: HttpResponse) -> HttpResponse:
    """No site may frame the response (key sets, configuration, login redirects)."""
    response["X-Frame-Options"] = "DENY"
    _set_frame_ancestors(response, "'none'")
    return response


def framed_page(response: HttpResponse, origins: tuple[str, ...]) -> HttpResponse:
    """A launch-flow page in the platform's frame: framable by it, never cached, and sending
    ``Origin`` on its own POSTs (``Referrer-Policy: same-origin``)."""
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return allow_framing(response, origins)
