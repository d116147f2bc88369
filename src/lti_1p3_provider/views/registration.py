"""``/lti/1p3/register/<token>/``: the tool's Dynamic Registration initiation URL."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from lti_1p3_provider.core.origins import url_origin
from lti_1p3_provider.launch import framing
from lti_1p3_provider.registration.dynamic import register_by_url
from lti_1p3_provider.services.registrations import deployment_ids
from lti_1p3_provider.views.errors import lti_view

CLOSE_MESSAGE = {"subject": "org.imsglobal.lti.close"}


@require_GET
@lti_view(framed=True)
def register(request: HttpRequest, token: str) -> HttpResponse:
    """Register the platform that opened this link; show the result and tell it we are done.

    The platform opens the link in a frame or a new window with ``openid_configuration`` and
    usually ``registration_token`` in the query. Errors become the usual error pages.
    """
    config_url = request.GET.get("openid_configuration")
    result = register_by_url(
        token,
        config_url,
        request.GET.get("registration_token"),
        request.build_absolute_uri("/").rstrip("/"),
    )
    response = render(
        request,
        "lti_1p3_provider/registration/done.html",
        {
            "tool": result.tool,
            "platform": result.platform,
            "deployments": deployment_ids(result.tool),
            "close_message": CLOSE_MESSAGE,
        },
    )
    origins = {url_origin(config_url or ""), url_origin(result.platform.issuer)}
    return framing.framed_page(response, tuple(sorted(o for o in origins if o)))
