"""The one place provider errors become HTTP responses, and the feature flag guard."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.clickjacking import xframe_options_exempt

from lti_1p3_provider.conf import provider_settings
from lti_1p3_provider.exceptions import FeatureDisabled, LtiProviderError

log = logging.getLogger("lti_1p3_provider.errors")
View = Callable[..., HttpResponse]


def error_response(request: HttpRequest, error: LtiProviderError) -> HttpResponse:
    """Render the learner-facing error page (autoescaped: details may quote untrusted input)."""
    html = render_to_string(
        "lti_1p3_provider/error.html",
        {
            "title": error.title,
            "detail": error.detail,
            "admin_hint": error.admin_hint,
            "status": error.status,
        },
        request=request,
    )
    return HttpResponse(html, status=error.status)


def lti_view(view: View) -> View:
    """404 unless the provider is enabled; map provider errors to error pages and log them."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            if not provider_settings.enabled:
                raise FeatureDisabled("This site does not accept LTI 1.3 launches.")
            return view(request, *args, **kwargs)
        except LtiProviderError as error:
            log.warning(
                "LTI 1.3 %s refused (%s, %s): %s",
                request.path,
                error.status,
                error.__class__.__name__,
                error.detail,
            )
            return error_response(request, error)

    # Every provider page, error pages included, shows inside the platform's iframe.
    return xframe_options_exempt(wrapper)


def allowed_target_hosts(request: HttpRequest) -> frozenset[str]:
    """Hosts a target_link_uri may name: this request's host plus configured extras."""
    extra = provider_settings.LTI_1P3_PROVIDER_TARGET_HOSTS or ()
    return frozenset({request.get_host().lower(), *(str(h).lower() for h in extra)})
