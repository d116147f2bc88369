"""The one place provider errors become HTTP responses, and the feature flag guard."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.core.text import _
from lti_1p3_provider.exceptions import FeatureDisabled, LtiProviderError
from lti_1p3_provider.i18n import session_language, translate
from lti_1p3_provider.launch import access, framing

log = logging.getLogger("lti_1p3_provider.errors")
View = Callable[..., HttpResponse]
LOG_FIELDS = (
    "tool",
    "iss",
    "client_id",
    "deployment_id",
    "consumer",
    "consumer_key",
    "target",
    "path",
)
_UNSAFE = re.compile(r"[^\x21-\x7e]")


def _loggable(value: Any) -> str:
    # Values may come from an unverified token: no spaces, control characters or floods.
    text = _UNSAFE.sub("?", str(value))
    return text if len(text) <= 200 else text[:200] + "..."


def log_refusal(request: HttpRequest, error: LtiProviderError) -> None:
    """One line per refusal: reason code, registration (or LTI 1.1 consumer), deployment,
    target; no PII, token or secret."""
    fields = {"path": request.path_info, **error.context}
    parts = " ".join(f"{k}={_loggable(fields[k])}" for k in LOG_FIELDS if fields.get(k))
    log.warning("LTI refused reason=%s status=%s %s", error.code, error.status, parts)


def error_response(request: HttpRequest, error: LtiProviderError) -> HttpResponse:
    """Render the learner-facing error page (autoescaped: details may quote untrusted input).

    Error pages show inside the platform's iframe: framable by the registration's origins when
    known (and the page that sent the request), else by the origins of the session's live
    grants, else by any site.
    """
    log_refusal(request, error)
    html = render_to_string(
        "lti_1p3_provider/error.html",
        {
            "title": translate(error.title),
            "detail": translate(error.detail),
            "admin_hint": translate(error.admin_hint),
            "advice": translate(error.advice),
            "status": error.status,
        },
        request=request,
    )
    origins = error.frame_origins
    if origins is None and access.is_lti_session(request):
        origins = access.live_frame_origins(request) or None
    if origins is not None:
        # The platform page that posted the refused request (ADR 0015): nothing to click.
        origins = framing.with_origin(origins, framing.page_origin(request))
    return framing.allow_framing(HttpResponse(html, status=error.status), origins)


def lti_view(view: View | None = None, *, framed: bool = False) -> Any:
    """404 unless the provider is enabled; map provider errors to error pages.

    Only ``framed`` views (launched content) may be framed, and they set their own
    frame-ancestors; every other provider response refuses framing.
    """

    def decorate(func: View) -> View:
        @functools.wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            with session_language(request):
                try:
                    if not provider_settings.enabled:
                        raise FeatureDisabled(_("This site does not accept LTI 1.3 launches."))
                    response = func(request, *args, **kwargs)
                except LtiProviderError as error:
                    return error_response(request, error)
            if not framed:
                framing.deny_framing(response)
            return response

        return wrapper

    return decorate(view) if view is not None else decorate
