"""Whether a POST was sent by one of this site's own pages (its ``Origin`` header)."""

from __future__ import annotations

from django.http import HttpRequest


def is_same_origin_post(request: HttpRequest) -> bool:
    """True when the browser says the POST came from a page of this very origin.

    Browsers send ``Origin`` on every POST and a page cannot forge it, so a form on another
    site (a login CSRF) cannot pass; our pages keep it with ``Referrer-Policy: same-origin``.
    """
    origin = request.headers.get("Origin", "")
    return bool(origin) and origin == f"{request.scheme}://{request.get_host()}"
