"""``/lti/1p3/privacy/``: the Data Privacy Launch page and the learner's removal request."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from lti_1p3_provider.i18n import use_language
from lti_1p3_provider.launch import framing
from lti_1p3_provider.launch.data_privacy import (
    privacy_summary,
    removal_frame_origins,
    removal_language,
    request_removal,
)
from lti_1p3_provider.launch.same_origin import is_same_origin_post
from lti_1p3_provider.launch.validation import ValidatedDataPrivacy
from lti_1p3_provider.views.errors import lti_view

TEMPLATES = "lti_1p3_provider/privacy/"


def privacy_page(
    request: HttpRequest,
    validated: ValidatedDataPrivacy,
    origins: tuple[str, ...],
    language: str = "",
) -> HttpResponse:
    """After a validated data privacy launch: what we hold, and a button to ask for removal."""
    summary = privacy_summary(validated, origins, language)
    response = render(request, TEMPLATES + "page.html", {"summary": summary})
    return framing.framed_page(response, origins)


@csrf_exempt  # the one-time request id and the Origin check stand in for the token
@require_POST
@lti_view(framed=True)
def removal(request: HttpRequest, request_id: str) -> HttpResponse:
    """Record the removal request posted by the privacy page (once)."""
    use_language(removal_language(request_id))
    seen = removal_frame_origins(request_id)  # read before the request closes
    removal_request, tool = request_removal(request_id, same_origin=is_same_origin_post(request))
    response = render(request, TEMPLATES + "requested.html", {"removal": removal_request})
    return framing.framed_page(response, framing.frame_origins(tool, seen))


@require_GET
@lti_view
def about(request: HttpRequest) -> HttpResponse:
    """The privacy URL opened directly: it works only from a platform's data privacy link."""
    return render(request, TEMPLATES + "about.html")
